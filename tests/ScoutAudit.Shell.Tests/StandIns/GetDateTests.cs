using System.Globalization;
using ScoutAudit.Shell.Tests.Support;

namespace ScoutAudit.Shell.Tests.StandIns;

/// <summary>Get-Date as PowerShell 7.4 documents it.</summary>
public class GetDateTests
{
    [Fact]
    public void NowIsALocalDateTimeWithADisplayHint()
    {
        var before = DateTime.Now;
        var o = ShellRun.Objects("Get-Date").Single();
        var after = DateTime.Now;

        var date = Assert.IsType<DateTime>(o.BaseObject);
        Assert.Equal(DateTimeKind.Local, date.Kind);
        Assert.InRange(date, before, after);
        Assert.Equal("DateTime", o.Properties["DisplayHint"].Value.ToString());
    }

    [Fact]
    public void AddHoursWorksOnTheResultAsInTheHeadline()
    {
        var o = ShellRun.Objects("(Get-Date).AddHours(-1)").Single();
        var date = Assert.IsType<DateTime>(o.BaseObject);
        Assert.Equal(DateTimeKind.Local, date.Kind);
        Assert.InRange(DateTime.Now - date, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
    }

    [Fact]
    public void DateFormatAndFileDateFormats()
    {
        var values = ShellRun.Objects("""
            Get-Date -Date '2026-02-13T14:30:22.1234567' -Format 'yyyy-MM-dd HH:mm:ss'
            Get-Date -Date '2026-02-13T14:30:22.1234567' -Format FileDate
            Get-Date -Date '2026-02-13T14:30:22.1234567' -Format FileDateTime
            """).Select(o => o.BaseObject).ToList();
        Assert.Equal(["2026-02-13 14:30:22", "20260213", "20260213T1430221234"], values);
    }

    [Fact]
    public void PartsReplaceTheirFieldAndMillisecondClearsTheFinerTicks()
    {
        var o = ShellRun.Objects("Get-Date -Date '2026-02-13T14:30:22.1234567' -Year 2024 -Month 1 -Day 31 -Hour 0 -Minute 5 -Second 6 -Millisecond 7").Single();
        Assert.Equal(new DateTime(2024, 1, 31, 0, 5, 6, 7), (DateTime)o.BaseObject);
    }

    [Fact]
    public void AsUtcConvertsToUtc()
    {
        var o = ShellRun.Objects("Get-Date -UnixTimeSeconds 1771000000 -AsUTC").Single();
        var date = (DateTime)o.BaseObject;
        Assert.Equal(DateTimeKind.Utc, date.Kind);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1771000000).UtcDateTime, date);
    }

    [Fact]
    public void DateComesFromThePipelineToo() =>
        Assert.Equal(["2026"], ShellRun.Objects("[datetime]'2026-05-01' | Get-Date -Format yyyy").Select(o => o.ToString()));

    [Fact]
    public void TheDisplayHintDecidesWhatTheDefaultViewShows()
    {
        var date = new DateTime(2026, 2, 13, 14, 30, 22);
        string full = ShellRun.Output("Get-Date -Date '2026-02-13T14:30:22'");
        string dateOnly = ShellRun.Output("Get-Date -Date '2026-02-13T14:30:22' -DisplayHint Date");
        Assert.Equal($"\n{date.ToLongDateString()} {date.ToLongTimeString()}\n\n", full);
        Assert.Equal($"\n{date.ToLongDateString()}\n\n", dateOnly);
        Assert.Equal(CultureInfo.CurrentCulture.Name, ShellRun.Objects("[cultureinfo]::CurrentCulture.Name").Single().ToString());
    }
}
