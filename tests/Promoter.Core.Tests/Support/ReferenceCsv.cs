using System.Globalization;

namespace Promoter.Core.Tests.Support;

/// <summary>Reads the CSV files written by tests/reference/nps_reference.py (no quoting, no embedded commas).</summary>
internal static class ReferenceCsv
{
    public static IEnumerable<Dictionary<string, string>> Read(string fileName)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "reference", fileName));
        var header = lines[0].Split(',');
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var fields = line.Split(',');
            Assert.Equal(header.Length, fields.Length);
            yield return header.Zip(fields).ToDictionary(p => p.First, p => p.Second);
        }
    }

    /// <summary>Parses Python's float repr, including "inf" and "-inf".</summary>
    public static double Number(string text) => text switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    public static long Count(string text) => long.Parse(text, CultureInfo.InvariantCulture);
}
