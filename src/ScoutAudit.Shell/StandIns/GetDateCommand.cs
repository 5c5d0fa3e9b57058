using System.Globalization;
using System.Management.Automation;

namespace ScoutAudit.Shell.StandIns;

/// <summary>How a date from Get-Date is displayed by default, as PowerShell's DisplayHintType.</summary>
public enum DisplayHintType
{
    /// <summary>Only the date.</summary>
    Date,

    /// <summary>Only the time.</summary>
    Time,

    /// <summary>Date and time.</summary>
    DateTime,
}

/// <summary>
/// Stand-in for PowerShell 7.4's Get-Date: -Date, -UnixTimeSeconds, -Year ... -Millisecond, -Format (including
/// FileDate, FileDateUniversal, FileDateTime, FileDateTimeUniversal), -AsUTC, -DisplayHint. Without -Format it
/// writes a DateTime (Local kind for the current time) carrying a DisplayHint note, so
/// <c>(Get-Date).AddHours(-1)</c> and comparisons with other dates work as in PowerShell.
/// </summary>
[Cmdlet(VerbsCommon.Get, "Date", DefaultParameterSetName = DateSet)]
[OutputType(typeof(DateTime), typeof(string))]
public sealed class GetDateCommand : Cmdlet
{
    private const string DateSet = "DateAndFormat";
    private const string UnixSet = "UnixTimeSecondsAndFormat";

    private DateTime? _date;
    private long? _unixTimeSeconds;
    private int? _year;
    private int? _month;
    private int? _day;
    private int? _hour;
    private int? _minute;
    private int? _second;
    private int? _millisecond;

    /// <summary>The date to use instead of now.</summary>
    [Parameter(ParameterSetName = DateSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("LastWriteTime")]
    public DateTime Date
    {
        get => _date ?? default;
        set => _date = value;
    }

    /// <summary>The date as seconds since 1970-01-01 UTC.</summary>
    [Parameter(ParameterSetName = UnixSet, Mandatory = true)]
    [ValidateRange(-62135596800, 253402300799)]
    [Alias("UnixTime")]
    public long UnixTimeSeconds
    {
        get => _unixTimeSeconds ?? default;
        set => _unixTimeSeconds = value;
    }

    /// <summary>Replaces the year.</summary>
    [Parameter]
    [ValidateRange(1, 9999)]
    public int Year
    {
        get => _year ?? default;
        set => _year = value;
    }

    /// <summary>Replaces the month.</summary>
    [Parameter]
    [ValidateRange(1, 12)]
    public int Month
    {
        get => _month ?? default;
        set => _month = value;
    }

    /// <summary>Replaces the day of the month.</summary>
    [Parameter]
    [ValidateRange(1, 31)]
    public int Day
    {
        get => _day ?? default;
        set => _day = value;
    }

    /// <summary>Replaces the hour.</summary>
    [Parameter]
    [ValidateRange(0, 23)]
    public int Hour
    {
        get => _hour ?? default;
        set => _hour = value;
    }

    /// <summary>Replaces the minute.</summary>
    [Parameter]
    [ValidateRange(0, 59)]
    public int Minute
    {
        get => _minute ?? default;
        set => _minute = value;
    }

    /// <summary>Replaces the second.</summary>
    [Parameter]
    [ValidateRange(0, 59)]
    public int Second
    {
        get => _second ?? default;
        set => _second = value;
    }

    /// <summary>Replaces the millisecond (and clears the finer ticks).</summary>
    [Parameter]
    [ValidateRange(0, 999)]
    public int Millisecond
    {
        get => _millisecond ?? default;
        set => _millisecond = value;
    }

    /// <summary>Which part of the date the default display shows.</summary>
    [Parameter]
    public DisplayHintType DisplayHint { get; set; } = DisplayHintType.DateTime;

    /// <summary>A .NET format string, or FileDate, FileDateUniversal, FileDateTime, FileDateTimeUniversal; the result is a string.</summary>
    [Parameter]
    [ArgumentCompletions("FileDate", "FileDateUniversal", "FileDateTime", "FileDateTimeUniversal")]
    public string? Format { get; set; }

    /// <summary>Converts the date to UTC before formatting or output.</summary>
    [Parameter]
    public SwitchParameter AsUTC { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var date = _date ?? (_unixTimeSeconds is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds).LocalDateTime : DateTime.Now);

        // Each part is replaced by adding the difference, as Get-Date does (so -Day 31 in a short month rolls over).
        if (_year is { } year)
        {
            date = date.AddYears(year - date.Year);
        }

        if (_month is { } month)
        {
            date = date.AddMonths(month - date.Month);
        }

        if (_day is { } day)
        {
            date = date.AddDays(day - date.Day);
        }

        if (_hour is { } hour)
        {
            date = date.AddHours(hour - date.Hour);
        }

        if (_minute is { } minute)
        {
            date = date.AddMinutes(minute - date.Minute);
        }

        if (_second is { } second)
        {
            date = date.AddSeconds(second - date.Second);
        }

        if (_millisecond is { } millisecond)
        {
            date = date.AddMilliseconds(millisecond - date.Millisecond);
            date = date.Subtract(TimeSpan.FromTicks(date.Ticks % TimeSpan.TicksPerMillisecond));
        }

        if (AsUTC)
        {
            date = date.ToUniversalTime();
        }

        if (Format is null)
        {
            var output = new PSObject(date);
            output.Properties.Add(new PSNoteProperty("DisplayHint", DisplayHint));
            WriteObject(output);
            return;
        }

        string format = Format;
        switch (format.ToUpperInvariant())
        {
            case "FILEDATE":
                format = "yyyyMMdd";
                break;
            case "FILEDATEUNIVERSAL":
                date = date.ToUniversalTime();
                format = "yyyyMMddZ";
                break;
            case "FILEDATETIME":
                format = "yyyyMMddTHHmmssffff";
                break;
            case "FILEDATETIMEUNIVERSAL":
                date = date.ToUniversalTime();
                format = "yyyyMMddTHHmmssffffZ";
                break;
        }

        WriteObject(date.ToString(format, CultureInfo.CurrentCulture));
    }
}
