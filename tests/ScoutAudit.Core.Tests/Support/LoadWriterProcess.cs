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

    public LoadWriterProcess(string logPath, string writer, int events, long rotationBytes, int rotateEvery = 0)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "ScoutAudit.LoadWriter.dll"), logPath, writer,
                     events.ToString(CultureInfo.InvariantCulture), rotationBytes.ToString(CultureInfo.InvariantCulture),
                     rotateEvery.ToString(CultureInfo.InvariantCulture),
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
            else if (line.StartsWith("ack ", StringComparison.Ordinal))
                lock (_acknowledged) _acknowledged.Add(int.Parse(line.AsSpan(4), CultureInfo.InvariantCulture));
        }
    }
}
