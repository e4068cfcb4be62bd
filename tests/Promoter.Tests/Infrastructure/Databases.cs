using Promoter.Data;

namespace Promoter.Tests.Infrastructure;

/// <summary>Theory data: run a test once on SQLite and once on PostgreSQL.</summary>
public static class Databases
{
    public static TheoryData<DatabaseProvider> Both => new() { DatabaseProvider.Sqlite, DatabaseProvider.Postgres };
}
