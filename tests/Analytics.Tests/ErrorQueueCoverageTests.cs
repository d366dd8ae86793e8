using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

public sealed class ErrorQueueCoverageTests(ServiceFactory<Program> factory)
    : ConsumerQueueCoverageTests<Program>(factory), IClassFixture<ServiceFactory<Program>>;
