using System.Text.Json;

namespace Promoter.Metrics;

/// <summary>One benchmark as shown: where it comes from and when. <see cref="Id"/> is text: built-ins have names, custom ones Guids.</summary>
public sealed record BenchmarkDto(string Id, string Industry, string Segment, double? Low, double Average, double? High, string Source, int? Year, bool BuiltIn);

/// <summary>The built-in benchmarks from <c>Metrics/Benchmarks/benchmarks.json</c>, an operator-editable file.</summary>
public sealed class BenchmarkCatalog
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public BenchmarkCatalog(string path)
    {
        using var stream = File.OpenRead(path);
        var file = JsonSerializer.Deserialize<BenchmarkFile>(stream, s_json)
                   ?? throw new InvalidOperationException($"{path} is empty.");
        BuiltIn = file.Benchmarks.Select(b => b with { BuiltIn = true }).ToList();
        foreach (var b in BuiltIn.Where(b => (b.Low ?? b.Average) > b.Average || b.Average > (b.High ?? b.Average)))
        {
            throw new InvalidOperationException($"Benchmark {b.Id}: low ≤ average ≤ high must hold.");
        }
    }

    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Metrics", "Benchmarks", "benchmarks.json");

    public IReadOnlyList<BenchmarkDto> BuiltIn { get; }

    public const string DefaultId = "software-industry-guide";

    private sealed record BenchmarkFile(List<BenchmarkDto> Benchmarks);
}
