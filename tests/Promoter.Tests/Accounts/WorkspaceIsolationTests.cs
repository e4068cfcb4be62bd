using System.Net;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Accounts;

/// <summary>
/// Signs in as a user and as an API key of workspace A and tries every API endpoint on workspace B's objects.
/// The endpoint list comes from the server's routing table, so endpoints added later are covered automatically.
/// </summary>
public sealed class WorkspaceIsolationTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Workspace_A_can_neither_read_nor_change_any_object_of_workspace_B(DatabaseProvider provider)
    {
        // No webhook dispatch: B's delivery must stay as created, or the before/after snapshots would differ.
        await using var server = await PromoterTestServer.StartAsync(provider, new() { Settings = { ["Webhooks:DispatchEnabled"] = "false" } });
        var a = await server.CreateWorkspaceAsync("Alpha " + provider);
        var b = await server.CreateWorkspaceAsync("Beta " + provider);
        using var bApi = server.CreateApiClient(b.ApiKey);

        var bObjects = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (resource, create) in TenantFixtures.Creators)
        {
            bObjects[resource] = await create(bApi);
        }

        // B's theme starts a re-tagging job; its progress must settle before the snapshot, or before and after differ.
        await Understand.UnderstandApiTests.IndexedAsync(bApi);
        var endpoints = ApiEndpoints.Enumerate(server.Services);
        var before = await SnapshotAsync(bApi, endpoints, bObjects);
        var callers = new (string Name, HttpClient Client)[]
        {
            ("A user", await server.SignInAsync(a.OwnerEmail, a.OwnerPassword)),
            ("A API key", server.CreateApiClient(a.ApiKey)),
        };
        // Long values (Guids, names, emails, B's comment) must not appear anywhere; short numeric ids are compared as ids.
        var secrets = bObjects.Values.SelectMany(v => v.Values).Where(v => v.Length >= 16).Append(b.Id.ToString()).Append(b.Name).Append(b.OwnerEmail).Append("B's secret comment").ToList();

        var failures = new List<string>();
        var checkedWithIds = 0;
        foreach (var endpoint in endpoints)
        {
            if (endpoint.HasParameters)
            {
                if (!bObjects.TryGetValue(endpoint.Resource, out var ids))
                {
                    failures.Add($"{endpoint}: no fixture creates a '{endpoint.Resource}'; add one to {nameof(TenantFixtures)}.");
                    continue;
                }

                if (endpoint.Method is "POST" or "PUT" or "PATCH" && !TenantFixtures.Bodies.ContainsKey(endpoint.ToString()))
                {
                    failures.Add($"{endpoint}: no sample body in {nameof(TenantFixtures)}.{nameof(TenantFixtures.Bodies)}.");
                    continue;
                }

                checkedWithIds++;
                foreach (var (name, client) in callers)
                {
                    using var response = await client.SendAsync(TenantFixtures.Request(endpoint, endpoint.Fill(ids)));
                    if (response.StatusCode != HttpStatusCode.NotFound)
                    {
                        failures.Add($"{endpoint} as {name} on B's object: {(int)response.StatusCode} (expected 404) {await response.Content.ReadAsStringAsync()}");
                    }
                }
            }
            else if (endpoint.Method == "GET")
            {
                foreach (var (name, client) in callers)
                {
                    using var response = await client.GetAsync(endpoint.Pattern);
                    var body = await response.Content.ReadAsStringAsync();
                    var sameKindIds = bObjects.TryGetValue(endpoint.Resource, out var own) ? own.Values.ToHashSet() : [];
                    var leaked = secrets.Where(s => body.Contains(s, StringComparison.OrdinalIgnoreCase))
                        .Concat(IdsIn(body).Where(sameKindIds.Contains)).ToList();
                    if (!response.IsSuccessStatusCode || leaked.Count > 0)
                    {
                        failures.Add($"{endpoint} as {name}: {(int)response.StatusCode}, leaked [{string.Join(", ", leaked)}]");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(checkedWithIds >= 5, $"Only {checkedWithIds} object endpoints were checked.");
        var after = await SnapshotAsync(bApi, endpoints, bObjects);
        Assert.Equal(before, after);
    }

    /// <summary>Every value of a property named "id" or ending in "Id" anywhere in a JSON body.</summary>
    private static List<string> IdsIn(string body)
    {
        if (body.Length == 0 || body[0] is not ('{' or '['))
        {
            return [];
        }

        var found = new List<string>();
        void Walk(System.Text.Json.JsonElement e)
        {
            if (e.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    if ((p.Name == "id" || p.Name.EndsWith("Id", StringComparison.Ordinal)) && p.Value.ValueKind is System.Text.Json.JsonValueKind.String or System.Text.Json.JsonValueKind.Number)
                    {
                        found.Add(p.Value.ToString());
                    }

                    Walk(p.Value);
                }
            }
            else if (e.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                foreach (var item in e.EnumerateArray())
                {
                    Walk(item);
                }
            }
        }

        Walk(System.Text.Json.JsonDocument.Parse(body).RootElement);
        return found;
    }

    private static async Task<List<string>> SnapshotAsync(HttpClient owner, IReadOnlyList<ApiEndpoints.Endpoint> endpoints, Dictionary<string, Dictionary<string, string>> objects)
    {
        var snapshot = new List<string>();
        foreach (var endpoint in endpoints.Where(e => e.Method == "GET"))
        {
            var url = endpoint.HasParameters
                ? objects.TryGetValue(endpoint.Resource, out var ids) ? endpoint.Fill(ids) : null
                : endpoint.Pattern;
            if (url is null || url.Contains("/audit", StringComparison.Ordinal))
            {
                continue;
            }

            // lastUsedAt moves whenever B's own key is used; everything else must be byte-identical.
            var body = await owner.GetStringAsync(url + TenantFixtures.QueryFor(endpoint));
            snapshot.Add(url + " " + System.Text.RegularExpressions.Regex.Replace(body, "\"lastUsedAt\":(null|\"[^\"]*\")", ""));
        }

        return snapshot;
    }
}
