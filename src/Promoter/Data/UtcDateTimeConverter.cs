using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Promoter.Data;

/// <summary>Every stored time is UTC; SQLite forgets the kind on the way back, so restore it.</summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
