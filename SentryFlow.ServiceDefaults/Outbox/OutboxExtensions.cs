using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SentryFlow.ServiceDefaults.Outbox;

namespace Microsoft.Extensions.Hosting;

/// <summary>The transactional outbox: events saved with the change, published after commit.</summary>
public static class OutboxExtensions
{
    /// <summary>Maps <see cref="OutboxMessage"/> to <c>outbox_messages</c> in the context's schema; call from OnModelCreating.</summary>
    public static ModelBuilder AddOutbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(message =>
        {
            message.ToTable("outbox_messages");
            message.Property(m => m.MessageType).HasMaxLength(512);
            message.Property(m => m.Payload).HasColumnType("jsonb");
            message.HasIndex(m => m.CreatedAt).HasFilter("\"SentAt\" IS NULL").HasDatabaseName("ix_outbox_messages_unsent");
        });
        return modelBuilder;
    }

    /// <summary>Adds <paramref name="integrationEvent"/> to the outbox; it is stored by the next SaveChanges.</summary>
    public static void AddIntegrationEvent(this DbContext context, object integrationEvent) =>
        context.Set<OutboxMessage>().Add(OutboxMessage.For(integrationEvent));

    /// <summary>Runs <see cref="OutboxPublisher{TContext}"/>, which publishes what <typeparamref name="TContext"/>'s outbox holds.</summary>
    public static IHostApplicationBuilder AddSentryFlowOutbox<TContext>(this IHostApplicationBuilder builder) where TContext : DbContext
    {
        builder.Services.AddHostedService<OutboxPublisher<TContext>>();
        return builder;
    }
}
