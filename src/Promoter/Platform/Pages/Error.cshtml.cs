using System.Diagnostics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Promoter.Platform.Pages;

/// <summary>The HTML face of errors for people in a browser; API callers get problem details instead.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ResponseCache(NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";
    public string Explanation { get; private set; } = "The error was logged. Please try again.";
    public string? TraceId { get; private set; }

    public void OnGet(int? status) => Describe(status);

    public void OnPost(int? status) => Describe(status);

    private void Describe(int? status)
    {
        var code = status ?? StatusCodes.Status500InternalServerError;
        Response.StatusCode = code;
        (Title, Explanation) = code switch
        {
            400 => ("That request was not accepted", "The form may have expired. Go back, reload the page and try again."),
            403 => ("Not allowed", "Your role does not allow this."),
            404 => ("Not found", "There is nothing at this address."),
            429 => ("Too many attempts", "Wait a minute before trying again."),
            _ => (Title, Explanation),
        };
        TraceId = code >= 500 ? Activity.Current?.Id ?? HttpContext.TraceIdentifier : null;
    }
}
