using System.Globalization;
using System.Management.Automation;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

/// <summary>
/// The dates table: every time a cmdlet takes, given as text, means the same instant in every culture
/// (en-US and de-DE here) or is refused with the same message that says how to write it. The test
/// process runs in UTC+14 (<see cref="FarFromUtc"/>), so local time and UTC are 14 hours apart.
/// </summary>
public sealed class TimeTextTests : ModuleLogTest
{
    private static readonly string[] Cultures = ["en-US", "de-DE"];

    /// <summary>Text and the instant it means, in UTC, with the local zone at UTC+14.</summary>
    private static readonly (string Text, string Utc)[] Readable =
    [
        ("2026-02-13", "2026-02-12T10:00:00.000Z"), // a date alone: its midnight, local time
        ("2026-02-13Z", "2026-02-13T00:00:00.000Z"),
        ("2026-02-13+01:00", "2026-02-12T23:00:00.000Z"),
        ("2026-02-13T14:30:00Z", "2026-02-13T14:30:00.000Z"),
        ("2026-02-13T14:30:00.123+01:00", "2026-02-13T13:30:00.123Z"),
        ("2026-02-13T14:30", "2026-02-13T00:30:00.000Z"), // no zone: local time
        ("2026-02-13 14:30:00", "2026-02-13T00:30:00.000Z"),
        ("Feb 13 2026 14:30", "2026-02-13T00:30:00.000Z"), // as [datetime]'Feb 13 2026 14:30' reads it
        ("2026/02/13", "2026-02-12T10:00:00.000Z"),
    ];

    /// <summary>Text that is refused, and the message (after PowerShell's "Cannot process argument transformation on parameter 'X'. ").</summary>
    private static readonly (string Text, string Message)[] Refused =
    [
        ("01/12/2026", "'01/12/2026' could be 1 December or 12 January: write 2026-12-01 or 2026-01-12 (ISO 8601, year first), or give a [datetime]."),
        ("02/03/2026 10:00", "'02/03/2026 10:00' could be 2 March or 3 February: write 2026-03-02 10:00 or 2026-02-03 10:00 (ISO 8601, year first), or give a [datetime]."),
        ("1.12.2026", "'1.12.2026' could be 1 December or 12 January: write 2026-12-01 or 2026-01-12 (ISO 8601, year first), or give a [datetime]."),
        ("12/25/2026", "'12/25/2026' writes the day and the month in the order of a culture, which ScoutAudit does not guess: write 2026-12-25 (ISO 8601, year first), or give a [datetime]."),
        ("13.02.2026", "'13.02.2026' writes the day and the month in the order of a culture, which ScoutAudit does not guess: write 2026-02-13 (ISO 8601, year first), or give a [datetime]."),
        ("05/05/2026", "'05/05/2026' writes the day and the month in the order of a culture, which ScoutAudit does not guess: write 2026-05-05 (ISO 8601, year first), or give a [datetime]."),
        ("01.12.26", "'01.12.26' writes the day, the month and a two-digit year in the order of a culture, which ScoutAudit does not guess; write it in ISO 8601, year first: 2026-02-13 (midnight, local time), 2026-02-13T14:30 (local time), 2026-02-13T14:30:00Z (UTC) or 2026-02-13T14:30:00+01:00, or give a [datetime] such as (Get-Date).AddDays(-1)."),
        ("yesterday", "'yesterday' is not a time ScoutAudit can read; write it in ISO 8601, year first: 2026-02-13 (midnight, local time), 2026-02-13T14:30 (local time), 2026-02-13T14:30:00Z (UTC) or 2026-02-13T14:30:00+01:00, or give a [datetime] such as (Get-Date).AddDays(-1)."),
        ("13. Februar 2026", "'13. Februar 2026' is not a time ScoutAudit can read; write it in ISO 8601"),
        ("2026-02-30", "'2026-02-30' is not a time ScoutAudit can read; write it in ISO 8601"),
    ];

    public static TheoryData<string, string, string> ReadableInEachCulture() => Table(Readable);

    public static TheoryData<string, string, string> RefusedInEachCulture() => Table(Refused);

    private static TheoryData<string, string, string> Table((string, string)[] rows)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var culture in Cultures)
        foreach (var (text, expected) in rows)
            data.Add(culture, text, expected);
        return data;
    }

    /// <summary>Events a millisecond before, at, and a millisecond after <paramref name="at"/>, in that order.</summary>
    private void WriteAround(DateTimeOffset at) =>
        LogLines.Append(Log, LogLines.Line("before", at.AddMilliseconds(-1)), LogLines.Line("at", at), LogLines.Line("after", at.AddMilliseconds(1)));

    private static DateTimeOffset Instant(string utc) => DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture);

    private RunResult InCulture(string culture, string command, object variables) =>
        Session.Run($"[cultureinfo]::CurrentCulture = '{culture}'\n{command}", variables);

    [Theory]
    [MemberData(nameof(ReadableInEachCulture))]
    public void SinceStartsAtTheInstantTheTextMeans(string culture, string text, string utc)
    {
        WriteAround(Instant(utc));

        var result = InCulture(culture, "Get-ScoutAuditEvent -Since $t -Path $p", new { t = text, p = Log });

        Assert.Null(result.Terminating);
        Assert.Equal(["at", "after"], result.Output.Select(e => (string)e.Properties["Event"].Value));
    }

    [Theory]
    [MemberData(nameof(ReadableInEachCulture))]
    public void UntilEndsBeforeTheInstantTheTextMeans(string culture, string text, string utc)
    {
        WriteAround(Instant(utc));

        var result = InCulture(culture, "Get-ScoutAuditEvent -Until $t -Path $p", new { t = text, p = Log });

        Assert.Null(result.Terminating);
        Assert.Equal(["before"], result.Output.Select(e => (string)e.Properties["Event"].Value));
    }

    [Theory]
    [MemberData(nameof(ReadableInEachCulture))]
    public void TimestampDatesTheEventAtTheInstantTheTextMeans(string culture, string text, string utc)
    {
        var result = InCulture(culture, "Write-ScoutAuditEvent nav -Timestamp $t -Path $p; Close-ScoutAuditLog -Path $p", new { t = text, p = Log });

        Assert.Null(result.Terminating);
        Assert.StartsWith($"{{\"ts\": \"{utc}\"", File.ReadAllText(Log));
    }

    [Theory]
    [MemberData(nameof(ReadableInEachCulture))]
    public void APipedRecordsTsIsReadByTheSameRule(string culture, string text, string utc)
    {
        var result = InCulture(culture, "[pscustomobject]@{ Event = 'nav'; ts = $t } | Write-ScoutAuditEvent -Path $p; Close-ScoutAuditLog -Path $p", new { t = text, p = Log });

        Assert.Empty(result.Errors);
        Assert.StartsWith($"{{\"ts\": \"{utc}\"", File.ReadAllText(Log));
    }

    [Theory]
    [MemberData(nameof(RefusedInEachCulture))]
    public void SinceRefusesTextWhoseMeaningDependsOnTheReaderSayingHowToWriteIt(string culture, string text, string message)
    {
        WriteAround(Instant("2026-02-13T00:00:00Z"));

        var error = InCulture(culture, "Get-ScoutAuditEvent -Since $t -Path $p", new { t = text, p = Log }).SingleError();

        AssertRefused(error, "Since", message);
    }

    [Theory]
    [MemberData(nameof(RefusedInEachCulture))]
    public void UntilRefusesTheSameTextWithTheSameMessage(string culture, string text, string message)
    {
        var error = InCulture(culture, "Get-ScoutAuditEvent -Until $t -Path $p", new { t = text, p = Log }).SingleError();

        AssertRefused(error, "Until", message);
    }

    [Theory]
    [MemberData(nameof(RefusedInEachCulture))]
    public void TimestampRefusesTheSameTextAndWritesNothing(string culture, string text, string message)
    {
        var error = InCulture(culture, "Write-ScoutAuditEvent nav -Timestamp $t -Path $p", new { t = text, p = Log }).SingleError();

        AssertRefused(error, "Timestamp", message);
        Assert.False(File.Exists(Log));
    }

    [Theory]
    [MemberData(nameof(RefusedInEachCulture))]
    public void APipedRecordsTsIsRefusedAsThatRecordsErrorWithTheSameMessage(string culture, string text, string message)
    {
        var result = InCulture(culture, "[pscustomobject]@{ Event = 'bad'; ts = $t }, [pscustomobject]@{ Event = 'good' } | Write-ScoutAuditEvent -Path $p; Close-ScoutAuditLog -Path $p",
            new { t = text, p = Log });

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("InvalidEventField,", error.FullyQualifiedErrorId);
        Assert.StartsWith($"Cannot validate argument on parameter 'Timestamp'. {message}", error.ErrorDetails?.Message ?? error.Exception.Message);
        Assert.Contains("\"event\": \"good\"", File.ReadAllText(Log));
    }

    private static void AssertRefused(ErrorRecord error, string parameter, string message)
    {
        Assert.StartsWith("ParameterArgumentTransformationError,", error.FullyQualifiedErrorId);
        Assert.StartsWith($"Cannot process argument transformation on parameter '{parameter}'. {message}", error.Exception.Message);
        Assert.DoesNotContain('\n', error.Exception.Message);
    }

    /// <summary>
    /// Every parameter of every ScoutAudit cmdlet that takes a point in time, as the module loaded in
    /// PowerShell declares it, and whether it reads text by the rule ([Instant]): a new one cannot forget it.
    /// </summary>
    private static readonly Lazy<IReadOnlyList<(string Command, string Parameter, bool ByTheRule)>> TimeParameterList = new(() =>
    {
        using var session = new ModuleSession();
        return session.Invoke("""
            foreach ($command in Get-Command -Module ScoutAudit -CommandType Cmdlet) {
                foreach ($parameter in $command.Parameters.Values) {
                    $type = [Nullable]::GetUnderlyingType($parameter.ParameterType) ?? $parameter.ParameterType
                    if ($type -in [datetime], [datetimeoffset]) {
                        [pscustomobject]@{
                            Command = $command.Name; Parameter = $parameter.Name
                            ByTheRule = [bool]($parameter.Attributes | Where-Object { $_.GetType().FullName -eq 'ScoutAudit.PowerShell.Binding.InstantAttribute' })
                        }
                    }
                }
            }
            """).Select(row => ((string)row.Properties["Command"].Value, (string)row.Properties["Parameter"].Value, (bool)row.Properties["ByTheRule"].Value)).ToList();
    });

    public static TheoryData<string, string> TimeParameters()
    {
        var data = new TheoryData<string, string>();
        foreach (var (command, parameter, _) in TimeParameterList.Value) data.Add(command, parameter);
        return data;
    }

    [Fact]
    public void TheTimeParametersAreTheOnesThisTableCovers()
    {
        Assert.Equal(
            ["Export-ScoutAuditReport -Since", "Export-ScoutAuditReport -Until", "Get-ScoutAuditAccuracy -Since", "Get-ScoutAuditAccuracy -Until",
             "Get-ScoutAuditEvent -Since", "Get-ScoutAuditEvent -Until", "Get-ScoutAuditSpend -Since", "Get-ScoutAuditSpend -Until",
             "Remove-ScoutAuditArchive -Before", "Write-ScoutAuditEvent -Timestamp"],
            TimeParameterList.Value.Select(row => $"{row.Command} -{row.Parameter}").Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TimeParameters))]
    public void EveryTimeParameterReadsTextByTheOneRule(string command, string parameter)
    {
        Assert.True(TimeParameterList.Value.Single(row => row.Command == command && row.Parameter == parameter).ByTheRule,
            $"{command} -{parameter} does not read times by the rule ([Instant])");

        // Binding fails before anything else is looked at, so no other argument is needed.
        var refused = InCulture("de-DE", $"{command} -{parameter} '01/12/2026'", new { }).SingleError();
        AssertRefused(refused, parameter, Refused[0].Message);
    }
}
