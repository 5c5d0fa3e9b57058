using System.Globalization;
using ScoutAudit.Core;

// Usage: ScoutAudit.LoadWriter <log path> <writer id> <events> <rotation bytes> [rotate every N events (0: never)]
//        [sync: cadence|none|every] [reason bytes (0: a short reason)] [pause in ms after each event (0: none)]
// Appends events numbered 0..events-1 in session "<writer id>", and after each append returns
// prints "ack <n>" on stdout, so a parent that kills this process knows what it acknowledged.
// When the log cannot be written (a full disk, a file size limit) it prints "failed <n> <message>"
// for the event that was refused and exits with 3.
// Usage: ScoutAudit.LoadWriter forward <log path> <endpoint> <batch size> [protocol]: see ForwardMode.
if (args.Length > 0 && args[0] == "forward") return ForwardMode.Run(args[1..]);

var path = args[0];
var writer = args[1];
var count = int.Parse(args[2], CultureInfo.InvariantCulture);
var rotationBytes = long.Parse(args[3], CultureInfo.InvariantCulture);
var rotateEvery = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0;
var sync = args.Length > 5 ? args[5] : "cadence";
var reasonBytes = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 0;
var pauseMilliseconds = args.Length > 7 ? int.Parse(args[7], CultureInfo.InvariantCulture) : 0;

var options = new AuditLogOptions
{
    RotationSize = rotationBytes,
    SyncPolicy = sync switch
    {
        "none" => new SyncPolicy { Mode = SyncMode.None },
        "every" => new SyncPolicy { Mode = SyncMode.EveryEvent },
        _ => SyncPolicy.Default,
    },
    Diagnostics = new StderrDiagnostics(),
};
var reason = reasonBytes > 0 ? new string('r', reasonBytes) : "load test event with some padding text";
var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
var exitCode = 0;
using (var log = new AuditLog(path, options))
{
    for (var i = 0; i < count; i++)
    {
        try
        {
            log.Append(new LogEvent("nav") { Extras = [new("writer", JsonValues.From(writer, "writer")), new("n", JsonValues.From(i, "n"))], Reason = reason });
        }
        catch (AuditLogException error)
        {
            output.WriteLine($"failed {i} {error.Message}");
            exitCode = 3;
            break;
        }
        output.WriteLine($"ack {i}");
        if (i % 64 == 0 || reasonBytes > 0) output.Flush();
        if (rotateEvery > 0 && i % rotateEvery == rotateEvery - 1) Rotate(log);
        if (pauseMilliseconds > 0) Thread.Sleep(pauseMilliseconds);
    }
}
if (exitCode == 0) output.WriteLine("done");
output.Flush();
return exitCode;

// A rotation refused (another tool holds the file open for writing) is reported, and writing goes on.
static void Rotate(AuditLog log)
{
    try
    {
        log.Rotate();
    }
    catch (AuditLogException error) when (error.InnerException is SealDeferredException)
    {
        Console.Error.WriteLine($"RotateDeferred: {error.Message}");
    }
}

internal sealed class StderrDiagnostics : IAuditDiagnostics
{
    public void Report(AuditDiagnostic diagnostic)
    {
        if (diagnostic.IsProblem) Console.Error.WriteLine($"{diagnostic.Kind}: {diagnostic.Message}");
    }
}
