using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using OpenIddict.Server;
using SentryFlow.Identity.Infrastructure;

namespace SentryFlow.Identity.Tokens;

/// <summary>
/// Gives the token server its keys from the database, creating them on first use: an RSA key that signs access
/// tokens (RS256, published at the JWKS URI) and one that encrypts refresh tokens. The options are built on the
/// first token request, after the migrations have run.
/// </summary>
public sealed class TokenKeysConfigurator(IServiceScopeFactory scopes) : IConfigureOptions<OpenIddictServerOptions>
{
    public const string Signing = "sig";
    public const string Encryption = "enc";

    public void Configure(OpenIddictServerOptions options)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();

        options.SigningCredentials.Add(new SigningCredentials(LoadOrCreate(db, Signing), SecurityAlgorithms.RsaSha256));
        options.EncryptionCredentials.Add(new EncryptingCredentials(
            LoadOrCreate(db, Encryption), SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
    }

    private static RsaSecurityKey LoadOrCreate(IdentityDbContext db, string use)
    {
        var stored = db.SigningKeys.AsNoTracking().SingleOrDefault(k => k.Use == use);
        if (stored is null)
        {
            using var created = RSA.Create(2048);
            db.SigningKeys.Add(new SigningKey { Use = use, PrivateKeyPem = created.ExportPkcs8PrivateKeyPem() });
            try
            {
                db.SaveChanges();
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Another instance stored its key first: everyone uses that one.
                db.ChangeTracker.Clear();
            }

            stored = db.SigningKeys.AsNoTracking().Single(k => k.Use == use);
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(stored.PrivateKeyPem);
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }
}
