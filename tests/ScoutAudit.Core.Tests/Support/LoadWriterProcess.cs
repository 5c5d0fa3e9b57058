using System.Diagnostics;
using System.Globalization;

namespace ScoutAudit.Core.Tests.Support;

/// <summary>
/// A separate OS process appending numbered events to a log (tests/ScoutAudit.LoadWriter), which
/// reports each event it acknowledged (after its Append returned) as "ack &lt;n&gt;" on stdout.
/// </summary>
public sealed class LoadWriterProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<int> _acknowledged = [];
    private readonly System.Text.StringBuilder _errors = new();
    private readonly Task _stdout;
    private readonly Task _stderr;
    private bool _ended;

    /// <param name="logPath">The log to append to.</param>
    /// <param name="writer">The writer's id, stored in each event's "writer" field and used as its session.</param>
    /// <param name="events">How many events to append.</param>
    /// <param name="rotationBytes">The rotation size.</param>
    /// <param name="rotateEvery">Rotate after every this many events (0: only by size).</param>
    /// <param name="sync">cadence, none or every.</param>
    /// <param name="reasonBytes">Length of each event's reason (0: a short one); long lines make a write span many pages.</param>
    /// <param name="shellPrefix">
    /// Shell commands run before the writer replaces the shell (exec), such as <c>ulimit -f 64</c> or
    /// <c>umask 000</c>; null starts the writer directly.
    /// </param>
    /// <param name="pauseMilliseconds">A pause after each event (0: none), for writers that must go on as long as others.</param>
    public LoadWriterProcess(string logPath, string writer, int events, long rotationBytes, int rotateEvery = 0,
        string sync = "cadence", int reasonBytes = 0, string? shellPrefix = null, int pauseMilliseconds = 0)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(shellPrefix is null ? dotnet : "/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (shellPrefix is not null)
        {
            // bash -c '<prefix>; exec "$0" "$@"' dotnet <arguments>: the writer is the shell's own process, so Kill reaches it.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"{shellPrefix}; exec \"$0\" \"$@\"");
            start.ArgumentList.Add(dotnet);
        }
        foreach (var argument in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "ScoutAudit.LoadWriter.dll"), logPath, writer,
                     events.ToString(CultureInfo.InvariantCulture), rotationBytes.ToString(CultureInfo.InvariantCulture),
                     rotateEvery.ToString(CultureInfo.InvariantCulture), sync, reasonBytes.ToString(CultureInfo.InvariantCulture),
                     pauseMilliseconds.ToString(CultureInfo.InvariantCulture),
                 })
            start.ArgumentList.Add(argument);
        Writer = writer;
        _process = Process.Start(start)!;
        _stdout = Task.Run(ReadAcknowledgements);
        _stderr = Task.Run(() => _errors.Append(_process.StandardError.ReadToEnd()));
    }

    public string Writer { get; }

    public int ExitCode => _process.ExitCode;

    public bool Finished { get; private set; }

    /// <summary>The events whose Append had returned, as far as the process said so before it ended.</summary>
    public IReadOnlyList<int> Acknowledged
    {
        get
        {
            lock (_acknowledged) return [.. _acknowledged];
        }
    }

    public string Errors => _errors.ToString();

    /// <summary>The "failed &lt;n&gt; &lt;message&gt;" line of a writer whose log could not be written, or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>
    /// Waits until the writer has acknowledged at least <paramref name="count"/> events; false when it
    /// ended first. The timeout only guards against a hung writer.
    /// </summary>
    public bool WaitForAcknowledged(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_acknowledged)
        {
            while (_acknowledged.Count < count && !_ended)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) throw new TimeoutException($"writer {Writer} acknowledged {_acknowledged.Count} of {count} events in {timeout}: {Errors}");
                Monitor.Wait(_acknowledged, left);
            }
            return _acknowledged.Count >= count;
        }
    }

    public void WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) throw new TimeoutException($"writer {Writer} did not finish within {timeout}");
        Task.WaitAll(_stdout, _stderr);
    }

    /// <summary>SIGKILL on Unix: no chance to flush, close or finish a rotation.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.WaitForExit();
        Task.WaitAll(_stdout, _stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }

    private void ReadAcknowledgements()
    {
        while (_process.StandardOutput.ReadLine() is { } line)
        {
            if (line == "done") Finished = true;
            else if (line.StartsWith("failed ", StringComparison.Ordinal)) Failure = line;
            else if (line.StartsWith("ack ", StringComparison.Ordinal))
            {
                lock (_acknowledged)
                {
                    _acknowledged.Add(int.Parse(line.AsSpan(4), CultureInfo.InvariantCulture));
                    Monitor.PulseAll(_acknowledged);
                }
            }
        }
        lock (_acknowledged)
        {
            _ended = true;
            Monitor.PulseAll(_acknowledged);
        }
    }

    /// <summary>How often each (writer, n) event the load writers wrote is found in the log, with what reading it reported.</summary>
    public static (Dictionary<(string Writer, long N), int> Counts, RecordingDiagnostics Diagnostics) ReadBack(string logPath)
    {
        var diagnostics = new RecordingDiagnostics();
        var counts = new Dictionary<(string, long), int>();
        foreach (var e in Events.ReadAll(logPath, diagnostics))
        {
            var key = (e.GetExtra("writer")!.Value.GetString()!, e.GetExtra("n")!.Value.GetInt64());
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return (counts, diagnostics);
    }

    /// <summary>Sealed segments and temporary archives still in <paramref name="folder"/>: a rotation not yet finished.</summary>
    public static string[] LeftoversOfRotation(string folder) =>
        Directory.GetFiles(folder)
            .Where(f => f.EndsWith(".tmp", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(f, @"_\d{8}_\d{6}(_\d{4})?\.jsonl$"))
            .ToArray();
}
