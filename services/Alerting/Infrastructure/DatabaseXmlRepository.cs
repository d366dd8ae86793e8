using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace SentryFlow.Alerting.Infrastructure;

/// <summary>
/// Data Protection's key ring in PostgreSQL (the <c>DataProtectionKeys</c> table), so every alerting instance decrypts
/// what another encrypted. The keys themselves are stored as Data Protection writes them.
/// </summary>
public sealed class DatabaseXmlRepository(IServiceScopeFactory scopes) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AlertingDbContext>();
        return [.. db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).AsEnumerable().Select(k => XElement.Parse(k.Xml))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AlertingDbContext>();
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
