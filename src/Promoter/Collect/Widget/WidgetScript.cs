namespace Promoter.Collect.Widget;

/// <summary>The loader script, embedded in the executable (it is ours, not a third-party file).</summary>
internal static class WidgetScript
{
    public static readonly string Source = Load();

    private static string Load()
    {
        using var stream = typeof(WidgetScript).Assembly.GetManifestResourceStream("Promoter.Collect.Widget.widget.js")
                           ?? throw new InvalidOperationException("widget.js is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
