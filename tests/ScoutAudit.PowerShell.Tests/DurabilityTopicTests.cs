using System.Text.RegularExpressions;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

/// <summary>about_ScoutAuditDurability is installed, and every test it names as proof exists.</summary>
public sealed partial class DurabilityTopicTests : IDisposable
{
    private readonly ModuleSession _session = new();

    public void Dispose() => _session.Dispose();

    private static string Topic => File.ReadAllText(Repository.File("docs", "en-US", "about_ScoutAuditDurability.md"));

    [Fact]
    public void TheTopicIsInstalled()
    {
        var about = string.Join("\n", _session.Invoke("Get-Help about_ScoutAuditDurability").Select(o => o.ToString()));

        Assert.Contains("SHORT DESCRIPTION", about);
        Assert.Contains("CrashTests.AWriterKilledAtARandomMomentLosesNoAcknowledgedEventAndTheNextOpenFinishesItsWork", about);
    }

    [Fact]
    public void EveryTestTheTopicNamesExists()
    {
        var named = TestName().Matches(Topic).Select(m => (Class: m.Groups["class"].Value, Method: m.Groups["method"].Value)).Distinct().ToList();
        Assert.True(named.Count >= 40, $"{named.Count} tests named");

        foreach (var (type, method) in named)
        {
            var source = new[] { "ScoutAudit.Core.Tests", "ScoutAudit.PowerShell.Tests" }
                .Select(project => Repository.File("tests", project, type + ".cs"))
                .SingleOrDefault(File.Exists);
            Assert.True(source is not null, $"{type}.cs does not exist");
            Assert.Matches($@"public (void|async Task|Task) {method}\(", File.ReadAllText(source));
        }
    }

    [GeneratedRegex(@"`(?<class>[A-Z]\w+Tests)\.(?<method>[A-Z]\w+)`")]
    private static partial Regex TestName();
}
