using SentryFlow.Contracts.Authorization;

namespace SentryFlow.Identity.Tokens;

public sealed record MachineClient(string ClientId, string Name, Guid OrganizationId, OrganizationRole Role);
