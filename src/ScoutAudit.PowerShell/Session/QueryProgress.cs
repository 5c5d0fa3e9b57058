using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Session;

/// <summary>
/// The progress bar of one read of a log: the part of its bytes read (Core counts them in
/// <see cref="Counter"/> on the reading thread), the events found and the lines skipped. The cmdlet
/// asks on the pipeline thread whether a record is due and writes it there.
/// </summary>
internal sealed class QueryProgress(string path)
{
    private const int ActivityId = 0x5CA0;

    private readonly string _activity = $"Reading audit log {path}";
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _next = Delay;
    private bool _shown;

    /// <summary>A read that ends sooner shows no progress at all. Settable for tests, through reflection.</summary>
    internal static TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the bar is refreshed, and how long the pipeline thread waits for the reading thread at a time.</summary>
    internal static TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>What the reading thread counts.</summary>
    public ReadProgress Counter { get; } = new();

    /// <summary>The record to write now, or null when none is due; cheap enough to ask after every event.</summary>
    public ProgressRecord? Due(long skippedLines)
    {
        var now = _clock.Elapsed;
        if (now < _next) return null;
        _next = now + Interval;
        _shown = true;
        return Record(ProgressRecordType.Processing, Counter.PercentComplete, skippedLines);
    }

    /// <summary>The record that removes the bar, or null when none was shown.</summary>
    public ProgressRecord? Completed(long skippedLines)
    {
        return _shown ? Record(ProgressRecordType.Completed, 100, skippedLines) : null;
    }

    // A new record each time: the Progress stream keeps the records it was given.
    private ProgressRecord Record(ProgressRecordType type, int percent, long skippedLines) =>
        new(ActivityId, _activity, Status(skippedLines)) { RecordType = type, PercentComplete = percent };

    private string Status(long skippedLines) => string.Format(CultureInfo.InvariantCulture,
        "{0} of {1} read, {2:N0} event{3} found, {4:N0} line{5} skipped, {6:0} s",
        Size(Counter.BytesRead), Size(Counter.TotalBytes), Counter.EventsFound, Counter.EventsFound == 1 ? "" : "s",
        skippedLines, skippedLines == 1 ? "" : "s", _clock.Elapsed.TotalSeconds);

    private static string Size(long bytes) => bytes switch
    {
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB"),
    };
}
