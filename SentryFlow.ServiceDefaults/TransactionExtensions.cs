using Microsoft.EntityFrameworkCore;

namespace Microsoft.Extensions.Hosting;

/// <summary>Explicit transactions under the retrying execution strategy every context uses.</summary>
public static class TransactionExtensions
{
    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and commits it; on a transient failure the whole block runs
    /// again (Npgsql's retrying strategy refuses a transaction opened outside it). The change tracker is cleared
    /// before a retry, so the block must rebuild whatever it changes.
    /// </summary>
    public static Task<T> InTransactionAsync<T>(this DbContext context, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken = default) =>
        context.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            context.ChangeTracker.Clear();
            await using var transaction = await context.Database.BeginTransactionAsync(ct);
            var result = await work(ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);
}
