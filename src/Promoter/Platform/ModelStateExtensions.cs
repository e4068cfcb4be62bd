using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Promoter.Platform;

public static class ModelStateExtensions
{
    /// <summary>Shows a service's field errors next to the form fields they belong to.</summary>
    public static void AddDomainErrors(this ModelStateDictionary state, RequestValidationException e, IReadOnlyDictionary<string, string>? fieldMap = null)
    {
        foreach (var (field, messages) in e.Errors)
        {
            var key = fieldMap is not null && fieldMap.TryGetValue(field, out var mapped) ? mapped : "";
            foreach (var message in messages)
            {
                state.AddModelError(key, message);
            }
        }
    }
}
