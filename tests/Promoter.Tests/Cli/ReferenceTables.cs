using System.Globalization;

namespace Promoter.Tests.Cli;

/// <summary>Rows of the independent reference tables written by tests/reference/nps_reference.py.</summary>
public static class ReferenceTables
{
    public static IEnumerable<Dictionary<string, string>> Read(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "reference", file));
        var header = lines[0].Split(',');
        return lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var cells = l.Split(',');
            return header.Select((h, i) => (h, cells[i])).ToDictionary(x => x.h, x => x.Item2, StringComparer.Ordinal);
        });
    }

    public static double Number(this Dictionary<string, string> row, string column) => row[column] switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        var text => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    public static string Percent(this Dictionary<string, string> row) =>
        (row.Number("level") * 100).ToString("0.##", CultureInfo.InvariantCulture);
}
