using System.Globalization;
using System.Management.Automation;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

/// <summary>
/// Progress of long reads, recorded from the Progress stream: percent complete by bytes read,
/// also while nothing matches, with the right counts. The module shows progress only after half
/// a second; these tests make it due at once (an internal setting, through reflection) so that a
/// file of a few megabytes is long enough.
/// </summary>
[Collection(nameof(ProgressTests))] // the setting is process-wide
public sealed partial class ProgressTests : ModuleLogTest, IDisposable
{
    private const int Lines = 60_000;
    private static readonly DateTimeOffset Start = new(2026, 1, 10, 0, 0, 0, TimeSpan.Zero);
    private readonly TimeSpan _savedDelay;
    private readonly TimeSpan _savedInterval;

    public ProgressTests()
    {
        _savedDelay = (TimeSpan)Setting("Delay").GetValue(null)!;
        _savedInterval = (TimeSpan)Setting("Interval").GetValue(null)!;
        Setting("Delay").SetValue(null, TimeSpan.Zero);
        Setting("Interval").SetValue(null, TimeSpan.FromMilliseconds(1));
        var text = new StringBuilder();
        for (var i = 0; i < Lines; i++)
            text.Append(LogLines.Line(i % 3 == 0 ? "nav" : "deep", Start.AddSeconds(i), model: "gpt-4o-mini", cost: 0.000003));
        File.WriteAllText(Log, text.ToString());
    }

    /// <summary>The module's progress setting (internal to the module, which the test's session has imported).</summary>
    private static PropertyInfo Setting(string name)
    {
        var assembly = AppDomain.CurrentDomain.GetAssemblies().First(a => a.GetName().Name == "ScoutAudit.PowerShell");
        return assembly.GetType("ScoutAudit.PowerShell.Session.QueryProgress", throwOnError: true)!
            .GetProperty(name, BindingFlags.NonPublic | BindingFlags.Static)!;
    }

    public new void Dispose()
    {
        Setting("Delay").SetValue(null, _savedDelay);
        Setting("Interval").SetValue(null, _savedInterval);
        base.Dispose();
    }

    [Theory]
    [InlineData("Get-ScoutAuditEvent -Event no_such_event -Path $p")]
    [InlineData("Get-ScoutAuditEvent -Event nav -Path $p")]
    // -Last 5 alone reads backwards and stops at the 5 newest lines, too soon to be sure of a
    // progress record on a loaded machine (it failed 1 run in 6 beside another build); with an
    // event type that no line has, it reads the whole file backwards.
    [InlineData("Get-ScoutAuditEvent -Last 5 -Event no_such_event -Path $p")]
    [InlineData("Get-ScoutAuditSpend -By Model -Path $p")]
    [InlineData("Get-ScoutAuditAccuracy -Path $p")]
    public void LongReadsShowPercentCompleteByBytesRead(string command)
    {
        var result = Session.Run(command, new { p = Log });

        Assert.Null(result.Terminating);
        var running = result.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).ToList();
        Assert.NotEmpty(running);
        Assert.All(result.Progress, p => Assert.Contains(Log, p.Activity));
        var percents = running.Select(p => p.PercentComplete).ToList();
        Assert.Equal(percents.Order(), percents);
        Assert.All(percents, p => Assert.InRange(p, 0, 100));
        var completed = Assert.Single(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
        Assert.Same(completed, result.Progress[^1]);
        Assert.Equal(100, completed.PercentComplete);
        var size = new FileInfo(Log).Length / (1024.0 * 1024);
        var both = size.ToString("0.0", CultureInfo.InvariantCulture);
        Assert.StartsWith($"{both} MiB of {both} MiB read", completed.StatusDescription);
    }

    [Fact]
    public void AScanThatMatchesNothingReportsProgressBeforeItEnds()
    {
        var result = Session.Run("Get-ScoutAuditEvent -Event no_such_event -Path $p", new { p = Log });

        Assert.Empty(result.Output);
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Processing && p.PercentComplete < 100);
        Assert.All(result.Progress, p => Assert.Contains(" 0 events found, 0 lines skipped", p.StatusDescription));
    }

    [Theory]
    [InlineData("Get-ScoutAuditEvent -Event nav -Path $p", Lines / 3)]
    // Read backwards, -Last stops at the 5 it returns: the 5 newest take too short a read to be sure
    // of a progress record on a loaded machine (it failed in CI), the 5 before the file's 100th
    // second take reading it almost whole.
    [InlineData("Get-ScoutAuditEvent -Last 5 -Until '2026-01-10T00:01:40Z' -Path $p", 5)]
    [InlineData("Get-ScoutAuditSpend -Path $p", Lines)]
    [InlineData("Get-ScoutAuditAccuracy -Since '2026-01-10T08:20:00Z' -Path $p", Lines - 30_000)]
    public void TheCountsInTheProgressAreRight(string command, int found)
    {
        File.AppendAllText(Log, "not json\n{\"ts\": 1}\n");

        var result = Session.Run(command, new { p = Log });

        var completed = Assert.Single(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
        Assert.Contains($" {found.ToString("N0", CultureInfo.InvariantCulture)} events found, 2 lines skipped", completed.StatusDescription);
        var counts = result.Progress.Select(p => long.Parse(EventsFound().Match(p.StatusDescription).Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(counts.Order(), counts);
    }

    [Fact]
    public void AShortReadShowsNoProgress()
    {
        Setting("Delay").SetValue(null, TimeSpan.FromMinutes(5));

        var result = Session.Run("Get-ScoutAuditSpend -Path $p; Get-ScoutAuditEvent -Last 1 -Path $p", new { p = Log });

        Assert.Empty(result.Progress);
    }

    [GeneratedRegex(@" ([\d,]+) events? found")]
    private static partial Regex EventsFound();
}
