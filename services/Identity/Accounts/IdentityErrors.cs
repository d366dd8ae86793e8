using Microsoft.AspNetCore.Identity;

namespace SentryFlow.Identity.Accounts;

/// <summary>Turns ASP.NET Core Identity's errors into a 400 that names the request field each one is about.</summary>
public static class IdentityErrors
{
    public static IResult ToValidationProblem(this IdentityResult result, string passwordField = "password") =>
        IdentityProblems.AccountInvalid.Validation(result.Errors
            .GroupBy(error => FieldOf(error.Code, passwordField))
            .ToDictionary(group => group.Key, group => group.Select(error => error.Description).ToArray()));

    private static string FieldOf(string code, string passwordField) => code switch
    {
        _ when code.StartsWith("Password", StringComparison.Ordinal) && code != nameof(IdentityErrorDescriber.PasswordMismatch) => passwordField,
        nameof(IdentityErrorDescriber.PasswordMismatch) => "currentPassword",
        _ when code.Contains("Email", StringComparison.Ordinal) || code.Contains("UserName", StringComparison.Ordinal) => "email",
        _ => "$",
    };
}
