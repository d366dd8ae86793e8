using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Identity;

/// <summary>
/// Every error identity's APIs answer with a code of their own (listed at <c>GET /problems</c>). The token and
/// revocation endpoints keep OAuth's error shape (<c>error</c>, <c>error_description</c>) as RFC 6749 requires,
/// except for the sign-in throttle's 429.
/// </summary>
public static class IdentityProblems
{
    public static readonly ProblemType OrganizationNotFound = new("identity.organization_not_found", StatusCodes.Status404NotFound, "No such organization.");
    public static readonly ProblemType ProjectNotFound = new("identity.project_not_found", StatusCodes.Status404NotFound, "No such project.");
    public static readonly ProblemType MemberNotFound = new("identity.member_not_found", StatusCodes.Status404NotFound, "No such member.");
    public static readonly ProblemType ClientNotFound = new("identity.client_not_found", StatusCodes.Status404NotFound, "No such machine client.");
    public static readonly ProblemType UserNotFound = new("identity.user_not_found", StatusCodes.Status404NotFound, "No such user.");
    public static readonly ProblemType AccountGone = new("identity.account_gone", StatusCodes.Status404NotFound, "The signed-in account no longer exists.");
    public static readonly ProblemType RoleTooLow = new("identity.role_too_low", StatusCodes.Status403Forbidden, "The caller's role in the organization is too low for this.");
    public static readonly ProblemType OwnerOnly = new("identity.owner_only", StatusCodes.Status403Forbidden, "Only an owner of the organization can do this.");
    public static readonly ProblemType UsersOnly = new("identity.users_only", StatusCodes.Status403Forbidden, "Only a signed-in user can do this, not a machine client.");
    public static readonly ProblemType AlreadyMember = new("identity.already_member", StatusCodes.Status409Conflict, "The user is already a member.");
    public static readonly ProblemType LastOwner = new("identity.last_owner", StatusCodes.Status409Conflict, "The organization's last owner cannot leave or be demoted.");
    public static readonly ProblemType UnknownEmail = new("identity.unknown_email", StatusCodes.Status400BadRequest, "No account has this email.");
    public static readonly ProblemType ProjectNameTaken = new("identity.project_name_taken", StatusCodes.Status400BadRequest, "The organization already has a project with this name.");
    public static readonly ProblemType ClientRoleTooHigh = new("identity.client_role_too_high", StatusCodes.Status400BadRequest, "A machine client can be at most an admin.");
    public static readonly ProblemType AccountInvalid = new("identity.account_invalid", StatusCodes.Status400BadRequest, "The account details are not acceptable.");
    public static readonly ProblemType PagingInvalid = new("identity.paging_invalid", StatusCodes.Status400BadRequest, "The paging parameters are out of range.");
    public static readonly ProblemType TokenAccessInvalid = new("identity.token_access_invalid", StatusCodes.Status400BadRequest, "The token access request is not valid.");
    public static readonly ProblemType SignInThrottled = new("identity.sign_in_throttled", StatusCodes.Status429TooManyRequests, "Too many sign-in attempts; retry after the time given.");
    public static readonly ProblemType RegistrationThrottled = new("identity.registration_throttled", StatusCodes.Status429TooManyRequests, "Too many registrations from this address; retry after the time given.");
}

/// <summary>Endpoint metadata: the problem a throttled request to this endpoint is answered with.</summary>
public sealed record ThrottleProblem(ProblemType Problem);
