using System.Text;
using System.Text.RegularExpressions;

namespace ScoutAudit.Core.Tests.Interop;

/// <summary>
/// Lines of the original (Fixtures/model_edge_cases.jsonl, written by the reference model) on which
/// Core was found to deviate: each must be read, and written back byte for byte, like any other line,
/// except the few deviations accepted by design, which are pinned down exactly.
/// </summary>
public sealed class DeviationsFromTheOriginal
{
    /// <summary>
    /// Accepted: cost, duration and token counts are held as double and long, so an integer cost or
    /// duration beyond 2^53 loses its last digits, and a token count of -0.0 becomes 0.0. Neither is a
    /// value a real event carries; holding exact JSON numbers would cost every event an allocation.
    /// </summary>
    private static readonly Dictionary<string, (string Original, string Written)> Accepted = new()
    {
        ["integer_cost_beyond_2_pow_53"] = ("\"cost\": 9007199254740993", "\"cost\": 9007199254740992"),
        ["integer_duration_beyond_2_pow_53"] = ("\"duration_ms\": 9007199254740993", "\"duration_ms\": 9007199254740992"),
        ["negative_zero_float_tokens"] = ("\"input_t\": -0.0", "\"input_t\": 0.0"),
    };

    public static TheoryData<string> EdgeCases()
    {
        var cases = new TheoryData<string>();
        foreach (var line in InteropFixtures.Lines(InteropFixtures.PathOf(ModelCorpus.FixtureOf(ModelCorpus.EdgeCases))))
        {
            if (!Accepted.ContainsKey(CaseOf(line))) cases.Add(CaseOf(line));
        }
        return cases;
    }

    public static TheoryData<string> AcceptedDeviations() => [.. Accepted.Keys];

    [Theory]
    [MemberData(nameof(AcceptedDeviations))]
    public void AnAcceptedDeviationChangesOnlyWhatIsDocumented(string edgeCase)
    {
        var text = Encoding.UTF8.GetString(LineOf(edgeCase));
        var (original, written) = Accepted[edgeCase];
        Assert.Contains(original, text);
        Assert.True(AuditLineParser.TryParse(LineOf(edgeCase), out var parsed, out var problem), problem);
        Assert.Equal(text.Replace(original, written) + "\n", Encoding.UTF8.GetString(AuditLineFormatter.Format(parsed!)));
    }

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void CoreReadsAndWritesBackTheOriginalsEdgeCase(string edgeCase)
    {
        var line = LineOf(edgeCase);
        var text = Encoding.UTF8.GetString(line);

        Assert.True(AuditLineParser.TryParse(line, out var parsed, out var problem), $"Core refuses ({problem}) the line {text}");
        byte[] written;
        try
        {
            written = AuditLineFormatter.Format(parsed!);
        }
        catch (Exception error)
        {
            throw new Xunit.Sdk.XunitException($"Core cannot write back ({error.GetType().Name}: {error.Message}) the line {text}");
        }
        Assert.Equal(text + "\n", Encoding.UTF8.GetString(written));
    }

    // The lines may hold lone surrogates, which System.Text.Json refuses to decode; find the case in the raw text.
    private static readonly Regex Case = new("\"case\": \"(?<name>[a-z0-9_]+)\"", RegexOptions.CultureInvariant);

    private static string CaseOf(byte[] line) =>
        Case.Match(Encoding.UTF8.GetString(line)) is { Success: true } match
            ? match.Groups["name"].Value
            : throw new InvalidOperationException($"An edge case line has no \"case\" field: {Encoding.UTF8.GetString(line)}");

    private static byte[] LineOf(string edgeCase) =>
        InteropFixtures.Lines(InteropFixtures.PathOf(ModelCorpus.FixtureOf(ModelCorpus.EdgeCases))).Single(line => CaseOf(line) == edgeCase);
}
