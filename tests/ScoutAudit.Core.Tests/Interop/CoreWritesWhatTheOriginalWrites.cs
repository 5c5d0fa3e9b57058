using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace ScoutAudit.Core.Tests.Interop;

/// <summary>
/// An event built through Core's API from the values the original had is written with the
/// original's bytes. The values are those of the committed corpus: each config and extra field,
/// turned into the .NET value a caller would pass (a Python int as long or BigInteger, a float as
/// double, a list as a list, a dict as a dictionary).
/// </summary>
public sealed class CoreWritesWhatTheOriginalWrites
{
    private static readonly DateTimeOffset Time = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ValuesFromDotNetAreWrittenAsTheOriginalWroteThem()
    {
        var failures = new List<string>();
        var values = 0;
        foreach (var line in InteropFixtures.Lines(InteropFixtures.PathOf(ModelCorpus.FixtureOf(ModelCorpus.Corpus))))
        {
            using var original = JsonDocument.Parse(line);
            foreach (var field in original.RootElement.EnumerateObject())
            {
                var isExtra = !StandardFields.IsStandard(field.Name);
                if (!(isExtra || field.Name == StandardFields.Config) || field.Value.ValueKind == JsonValueKind.Null) continue;
                values++;
                var written = WrittenByCore(ToDotNet(field.Value), isExtra);
                if (written != field.Value.GetRawText())
                    failures.Add($"{field.Name}: the original wrote {field.Value.GetRawText()}\n  Core writes {written}");
            }
        }
        Assert.True(values > 0, "The corpus has no config or extra field.");
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {values} config and extra values built from .NET are not written as the original wrote them:\n" + string.Join("\n", failures));
    }

    /// <summary>The text Core writes for a config, or an extra field, holding <paramref name="value"/>.</summary>
    private static string WrittenByCore(object? value, bool isExtra)
    {
        const string session = "s";
        var name = isExtra ? "value" : StandardFields.Config;
        var e = isExtra
            ? new LogEvent("nav", Time, session) { Extras = [new(name, JsonValues.From(value, name))] }
            : new LogEvent("nav", Time, session) { Config = JsonValues.ObjectFrom(value, name) };
        string line;
        try
        {
            line = Encoding.UTF8.GetString(AuditLineFormatter.Format(e));
        }
        catch (Exception error)
        {
            return $"nothing: {error.GetType().Name}: {error.Message}";
        }
        var head = $"{{\"ts\": \"{UtcTimestamp.Format(Time)}\", \"event\": \"nav\", \"session_id\": \"{session}\", \"{name}\": ";
        Assert.StartsWith(head, line);
        return line[head.Length..^"}\n".Length];
    }

    private static object? ToDotNet(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().Aggregate(new Dictionary<string, object?>(), (dictionary, property) =>
        {
            dictionary[property.Name] = ToDotNet(property.Value);
            return dictionary;
        }),
        JsonValueKind.Array => value.EnumerateArray().Select(ToDotNet).ToList(),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ when !PythonJson.IsInteger(value.GetRawText()) => value.GetDouble(),
        _ when value.TryGetInt64(out var whole) => whole,
        _ => BigInteger.Parse(value.GetRawText(), CultureInfo.InvariantCulture),
    };
}
