namespace Promoter.Loop;

/// <summary>
/// Picks a new case's owner by the workspace's rules, in order: the team member who served the respondent, the account
/// owner named by a property, the next member of the round-robin team, the fallback owner. Viewers never own cases.
/// </summary>
public static class OwnerAssignment
{
    public sealed record Choice(Guid UserId, OwnerRule Rule);

    /// <summary>Advances <see cref="LoopSettings.RoundRobinNext"/> when the round robin decides.</summary>
    public static Choice? Choose(LoopSettings settings, string? teamMember, IReadOnlyDictionary<string, string> properties, IReadOnlyList<LoopMember> members)
    {
        var owners = members.Where(m => m.CanOwnCases).ToList();
        foreach (var rule in settings.Rules)
        {
            switch (rule)
            {
                case OwnerRule.TeamMember when owners.FirstOrDefault(m => m.IsNamed(teamMember)) is { } served:
                    return new Choice(served.UserId, rule);
                case OwnerRule.AccountOwner when properties.TryGetValue(settings.AccountOwnerProperty, out var named)
                                                 && owners.FirstOrDefault(m => m.IsNamed(named)) is { } accountOwner:
                    return new Choice(accountOwner.UserId, rule);
                case OwnerRule.RoundRobin:
                    var team = LoopSettings.Ids(settings.RoundRobinUserIds).Where(id => owners.Any(m => m.UserId == id)).ToList();
                    if (team.Count > 0)
                    {
                        var turn = ((settings.RoundRobinNext % team.Count) + team.Count) % team.Count;
                        settings.RoundRobinNext = (turn + 1) % team.Count;
                        return new Choice(team[turn], rule);
                    }

                    break;
                case OwnerRule.Fallback when settings.FallbackUserId is { } fallback && owners.Any(m => m.UserId == fallback):
                    return new Choice(fallback, rule);
            }
        }

        return null;
    }
}
