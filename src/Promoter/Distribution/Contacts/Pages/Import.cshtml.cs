using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Promoter.Accounts;
using Promoter.Platform;

namespace Promoter.Distribution.Contacts.Pages;

/// <summary>Upload a CSV of contacts: the same importer as <c>promoter import contacts</c>, all or nothing.</summary>
[Authorize]
[RequestSizeLimit(MaxUploadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUploadBytes)]
public sealed class ImportModel(ContactImporter importer) : PageModel
{
    /// <summary>Hundreds of thousands of contacts; larger lists go through the CLI.</summary>
    public const long MaxUploadBytes = 64L * 1024 * 1024;

    public ContactImportResult? Result { get; private set; }
    public bool CanImport => User.HasScope(Scopes.ContactsWrite);

    [BindProperty]
    public IFormFile? Upload { get; set; }

    public IActionResult OnGet() => User.HasScope(Scopes.ContactsRead) ? Page() : Forbid();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanImport)
        {
            return Forbid();
        }

        if (Upload is not { Length: > 0 })
        {
            ModelState.AddModelError(nameof(Upload), "Choose a CSV file with a header row.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        try
        {
            await using var stream = Upload.OpenReadStream();
            Result = await importer.ImportAsync(stream, new ContactImportRequest { Actor = User.ActorOf(), Source = Path.GetFileName(Upload.FileName) }, ct);
            if (!Result.Committed)
            {
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            }
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(nameof(Upload), e.Message);
            Response.StatusCode = e.StatusCode;
        }

        return Page();
    }
}
