using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// Redaction costs time linear in the text, whatever the text: the inputs that made the old patterns
/// rescan from every position (1 MB of <c>a.a.a…</c>, <c>-eyJ-eyJ…</c>, runs of <c>:</c>, <c>@</c>,
/// <c>=</c>, long base64-ish runs) are scanned within the match timeout, which never fires on them
/// (when it fires, the whole value is replaced: it would show as a text that is only the marker).
/// No wall clock is read here: the benchmark reports the throughput (docs/benchmarks.md).
/// </summary>
public class RedactionLinearTimeTests
{
    private const int Megabyte = 1 << 20;

    private static string Repeat(string unit, int length)
    {
        var text = new StringBuilder(length + unit.Length);
        while (text.Length < length) text.Append(unit);
        return text.ToString(0, length);
    }

    /// <summary>The adversarial inputs, each 1 MB long, that hold no secret.</summary>
    public static TheoryData<string, string> Adversarial => new()
    {
        { "a.a.a", "a." },
        { "-eyJ-eyJ", "-eyJ" },
        { "eyJ.eyJ", "eyJ." },
        { "colons", ":" },
        { "at signs", "@" },
        { "equals signs", "=" },
        { "a:a:a", "a:" },
        { "a=b=b", "a=b" },
        { "scheme-like runs", "a://" },
        { "userinfo-like runs", "x://:@" },
        { "base64-ish run", "QWxhZGRpbjpvcGVuIHNlc2FtZQ+/" },
        { "words with dashes", "a-a-" },
        { "bearer bearer", "bearer " },
        { "BEGIN without a key", "-----BEGIN " },
        { "hooks", "hooks.slack.com/" },
    };

    [Theory]
    [MemberData(nameof(Adversarial))]
    public void AnAdversarialMegabyteWithoutSecretsIsScannedWithoutHittingTheTimeoutAndKept(string what, string unit)
    {
        var text = Repeat(unit, Megabyte);

        var redacted = SecretRedactor.RedactText(text);

        Assert.True(ReferenceEquals(text, redacted), $"{what}: {(redacted == SecretRedactor.Marker ? "the match timeout fired" : "changed")}");
    }

    /// <summary>Adversarial runs that do hold secret shapes over and over: every one is replaced, and the scan finishes.</summary>
    [Theory]
    [InlineData("password=x ")]
    [InlineData("\"token\":\"t\",")]
    [InlineData("Bearer abcdef0123456789 ")]
    [InlineData("a://u:p@")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n")]
    [InlineData("sk-proj-0123456789abcdefghijklmnop ")]
    public void AnAdversarialMegabyteOfSecretsIsScannedWithoutHittingTheTimeout(string unit)
    {
        var text = Repeat(unit, Megabyte);

        var redacted = SecretRedactor.RedactText(text);

        Assert.NotEqual(SecretRedactor.Marker, redacted);
        var markers = (redacted.Length - redacted.Replace(SecretRedactor.Marker, "", StringComparison.Ordinal).Length) / SecretRedactor.Marker.Length;
        Assert.True(markers >= text.Length / unit.Length - 1, $"{markers} secrets replaced of {text.Length / unit.Length}");
    }

    [Fact]
    public void A900KilobyteConfigValueIsWrittenAsItIs()
    {
        var value = Repeat("a.", 900 * 1024);
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, string> { ["v"] = value }));
        var e = new LogEvent("nav", Events.Start, "s") { Config = document.RootElement.Clone() };

        var written = SecretRedactor.Redact(e);

        Assert.True(ReferenceEquals(e, written), $"the value became {written.Config!.Value.GetProperty("v").GetString()![..Math.Min(40, written.Config!.Value.GetProperty("v").GetString()!.Length)]}");
    }

    [Fact]
    public void WhenTheMatchTimeoutFiresTheWholeTextIsReplaced()
    {
        // The same candidates with the shortest timeout there is: the scan of a megabyte cannot finish in it.
        var hurried = new Regex(SecretText.Pattern, RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromTicks(1));
        var text = Repeat("a.", Megabyte) + " password=hunter2";

        Assert.Equal(SecretRedactor.Marker, SecretText.Redact(text, SecretRedactor.Marker, hurried));
    }

    [Fact]
    public void TheCompiledScannerHasItsTimeout() => Assert.Equal(SecretText.MatchTimeout, SecretText.Scanner.MatchTimeout);

    /// <summary>Every quantifier of the candidates is bounded: no <c>*</c>, <c>+</c> or <c>{n,}</c> outside a character class.</summary>
    [Fact]
    public void EveryQuantifierOfTheCandidatesIsBounded()
    {
        var outsideClasses = Regex.Replace(SecretText.Pattern, @"\\.|\[(?:\\.|[^\]\\])*\]", "x");

        Assert.DoesNotMatch(@"[*+]|\{\d+,\}", outsideClasses);
    }
}
