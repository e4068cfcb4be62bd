using Microsoft.AspNetCore.Identity;

namespace Promoter.Accounts;

/// <summary>ASP.NET Core Identity's PBKDF2 hasher (HMAC-SHA512) at the OWASP iteration count, plus our length rule.</summary>
public sealed class Passwords
{
    public const int Iterations = 210_000;
    public const int MinimumLength = 10;
    public const int MaximumLength = 200;

    private readonly PasswordHasher<User> _hasher = new(Microsoft.Extensions.Options.Options.Create(
        new PasswordHasherOptions { IterationCount = Iterations, CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3 }));

    public string Hash(User user, string password) => _hasher.HashPassword(user, password);

    public PasswordVerificationResult Verify(User user, string password) => _hasher.VerifyHashedPassword(user, user.PasswordHash, password);

    public static string? Problem(string? password) => password switch
    {
        null or "" => "A password is required.",
        { Length: < MinimumLength } => $"Use at least {MinimumLength} characters.",
        { Length: > MaximumLength } => $"Use at most {MaximumLength} characters.",
        _ => null,
    };
}
