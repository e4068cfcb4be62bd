using Promoter.Platform;

namespace Promoter.Metrics;

/// <summary>
/// The dimension values one response is counted under: the total, its channel and language, its touchpoint and
/// team member when known, and each declared segment property it carries. The SQL triggers implement the same rule.
/// </summary>
public static class RollupKeys
{
    public static IEnumerable<(string Dim, string Value)> For(string channel, string language, string? touchpoint, string? teamMember,
        string? propertiesJson, IReadOnlyCollection<string> segmentKeys)
    {
        yield return (Rollup.Total, "");
        yield return (Rollup.Channel, channel);
        yield return (Rollup.Language, language);
        if (touchpoint is not null)
        {
            yield return (Rollup.Touchpoint, touchpoint);
        }

        if (teamMember is not null)
        {
            yield return (Rollup.Team, teamMember);
        }

        if (segmentKeys.Count > 0 && propertiesJson is not null)
        {
            var properties = PropertyBags.Read(propertiesJson);
            foreach (var key in segmentKeys)
            {
                if (properties.TryGetValue(key, out var value))
                {
                    yield return (Rollup.PropertyPrefix + key, value);
                }
            }
        }
    }
}
