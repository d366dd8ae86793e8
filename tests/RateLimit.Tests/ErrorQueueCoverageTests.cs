using SentryFlow.Testing;

namespace SentryFlow.RateLimit.Tests;

public sealed class ErrorQueueCoverageTests(ServiceFactory<Program> factory)
    : ConsumerQueueCoverageTests<Program>(factory), IClassFixture<ServiceFactory<Program>>;
