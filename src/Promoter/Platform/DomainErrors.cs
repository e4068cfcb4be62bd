namespace Promoter.Platform;

/// <summary>
/// Errors a service can raise for the caller to fix. One exception handler turns each into ProblemDetails
/// with a stable <c>code</c>; pages catch <see cref="RequestValidationException"/> and show the messages by field.
/// </summary>
public abstract class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
    public abstract int StatusCode { get; }
}

public sealed class RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
    : DomainException("validation_failed", "One or more fields are invalid: " + string.Join(", ", errors.Keys) + ".")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
    public override int StatusCode => StatusCodes.Status400BadRequest;

    public static RequestValidationException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

public sealed class NotFoundException(string resource)
    : DomainException("not_found", $"The {resource} does not exist.")
{
    public override int StatusCode => StatusCodes.Status404NotFound;
}

public sealed class ConflictException(string code, string message) : DomainException(code, message)
{
    public override int StatusCode => StatusCodes.Status409Conflict;
}

/// <summary>A 409 caused by one field's value being taken (an email another contact has); the problem names the field.</summary>
public sealed class FieldConflictException(string code, string field, string message) : DomainException(code, message)
{
    public string Field { get; } = field;
    public override int StatusCode => StatusCodes.Status409Conflict;
}

/// <summary>A 422 caused by one field naming something that does not exist (a churn event for an unknown contact); the problem names the field.</summary>
public sealed class FieldUnprocessableException(string code, string field, string message) : DomainException(code, message)
{
    public string Field { get; } = field;
    public override int StatusCode => StatusCodes.Status422UnprocessableEntity;
}

public sealed class UnprocessableException(string code, string message) : DomainException(code, message)
{
    public override int StatusCode => StatusCodes.Status422UnprocessableEntity;
}

public sealed class ForbiddenException(string code, string message) : DomainException(code, message)
{
    public override int StatusCode => StatusCodes.Status403Forbidden;
}

/// <summary>Collects field errors and throws them together, so a caller fixes everything in one round.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    /// <summary>Every message with its field, in the order the fields first failed.</summary>
    public IEnumerable<(string Field, string Message)> All => _errors.SelectMany(e => e.Value.Select(m => (e.Key, m)));

    /// <summary>Forgets every error, so one instance can check many rows of an import.</summary>
    public void Clear() => _errors.Clear();

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new RequestValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }
    }
}
