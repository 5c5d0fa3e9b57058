using System.Text.Json;

namespace ScoutAudit.Core.Tests.Interop;

/// <summary>Compares an event of Core with the same event as the original sees it (a JSON object), field by field.</summary>
internal static class EventAssert
{
    public static void Matches(JsonElement expected, LogEvent actual, string where)
    {
        Assert.True(expected.ValueKind == JsonValueKind.Object, $"{where}: expected a JSON object, got {expected.GetRawText()}");
        Assert.True(expected.GetProperty(StandardFields.Timestamp).GetString() == UtcTimestamp.Format(actual.Timestamp),
            $"{where}: ts is {UtcTimestamp.Format(actual.Timestamp)}; the original has {expected.GetProperty(StandardFields.Timestamp).GetString()}");
        Field(where, StandardFields.Event, String(expected, StandardFields.Event), actual.Event);
        Field(where, StandardFields.SessionId, String(expected, StandardFields.SessionId), actual.SessionId);
        Field(where, StandardFields.Cost, Bits(Number(expected, StandardFields.Cost)), Bits(actual.Cost));
        Field(where, StandardFields.Model, String(expected, StandardFields.Model), actual.Model);
        Field(where, StandardFields.InputTokens, Count(expected, StandardFields.InputTokens), actual.InputTokens);
        Field(where, StandardFields.OutputTokens, Count(expected, StandardFields.OutputTokens), actual.OutputTokens);
        Field(where, StandardFields.Files, Files(expected), actual.Files is null ? null : string.Join(" | ", actual.Files.Select(Show)));
        Field(where, StandardFields.Reason, String(expected, StandardFields.Reason), actual.Reason);
        Field(where, StandardFields.Confidence, Bits(Number(expected, StandardFields.Confidence)), Bits(actual.Confidence));
        Field(where, StandardFields.DurationMs, Bits(Number(expected, StandardFields.DurationMs)), Bits(actual.DurationMs));

        if (expected.TryGetProperty(StandardFields.Config, out var config))
        {
            Assert.True(actual.Config is not null, $"{where}: config is missing; the original has {config.GetRawText()}");
            PythonJson.AssertSame(config, actual.Config.Value, $"{where}: config");
        }
        else
        {
            Assert.True(actual.Config is null, $"{where}: config is {actual.Config?.GetRawText()}; the original has none");
        }

        var expectedExtras = expected.EnumerateObject().Where(p => !StandardFields.IsStandard(p.Name)).ToList();
        var names = string.Join(", ", actual.Extras.Select(p => p.Key));
        Assert.True(expectedExtras.Select(p => p.Name).SequenceEqual(actual.Extras.Select(p => p.Key)),
            $"{where}: the extra fields are [{names}]; the original has [{string.Join(", ", expectedExtras.Select(p => p.Name))}]");
        foreach (var (property, extra) in expectedExtras.Zip(actual.Extras))
        {
            PythonJson.AssertSame(property.Value, extra.Value, $"{where}: extra field '{property.Name}'");
        }
    }

    private static void Field<T>(string where, string name, T expected, T actual) =>
        Assert.True(EqualityComparer<T>.Default.Equals(expected, actual),
            $"{where}: {name} is {Describe(actual)}; the original has {Describe(expected)}");

    private static string Describe(object? value) => value switch
    {
        null => "absent",
        string s => Show(s),
        _ => value.ToString()!,
    };

    private static string Show(string s) => JsonSerializer.Serialize(s);

    private static JsonElement? Property(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? String(JsonElement e, string name) => Property(e, name)?.GetString();

    private static double? Number(JsonElement e, string name) => Property(e, name)?.GetDouble();

    // Bits, so that -0.0 and 0.0 differ.
    private static long? Bits(double? value) => value is { } v ? BitConverter.DoubleToInt64Bits(v) : null;

    private static long? Count(JsonElement e, string name)
    {
        if (Property(e, name) is not { } value) return null;
        if (value.TryGetInt64(out var whole)) return whole;
        var number = value.GetDouble();
        Assert.True(Math.Floor(number) == number, $"{name} of the original is {value.GetRawText()}, not a whole number");
        return (long)number;
    }

    private static string? Files(JsonElement e) =>
        Property(e, StandardFields.Files) is { } files
            ? string.Join(" | ", files.EnumerateArray().Select(f => Show(f.GetString()!)))
            : null;
}
