using Microsoft.EntityFrameworkCore;

namespace Microsoft.Extensions.Hosting;

/// <summary>Explicit transactions under the retrying execution strategy every context uses.</summary>
public static class TransactionExtensions
{
    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and commits it; on a transient failure the whole block runs
    /// again (Npgsql's retrying strategy refuses a transaction opened outside it). Changes tracked before the call
    /// are saved by the block's SaveChanges and stay pending for a retry; a block that adds entities itself should
    /// create them before the call, so a retry does not add them twice.
    /// </summary>
    public static Task<T> InTransactionAsync<T>(this DbContext context, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken = default) =>
        context.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            await using var transaction = await context.Database.BeginTransactionAsync(ct);
            var result = await work(ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);
}
