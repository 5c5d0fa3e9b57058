using System.Globalization;

namespace ScoutAudit.Core;

/// <summary>
/// One forwarder per log and endpoint at a time: an exclusive lock on <c>&lt;checkpoint&gt;.lock</c>,
/// beside the checkpoint it guards, held for the forwarder's life. Two forwarders of one log and
/// endpoint would send every event twice and save whichever checkpoint came last; the second is
/// refused at once (<see cref="ForwarderRunningException"/>) rather than made to wait, since a
/// forwarder with -Wait never ends. The lock file is opened as every lock of the module is
/// (<see cref="CrossProcessLock"/>: created owner-only, no link followed, the caller's own); it stays
/// behind when the forwarder ends, as those do. A checkpoint kept in memory only has no lock.
/// </summary>
internal sealed class ForwarderLock : IDisposable
{
    private readonly CrossProcessLock _file;
    private readonly CrossProcessLock.Held _held;

    private ForwarderLock(CrossProcessLock file, CrossProcessLock.Held held)
    {
        _file = file;
        _held = held;
    }

    /// <summary>The lock file of the checkpoint file <paramref name="checkpointPath"/>.</summary>
    public static string PathOf(string checkpointPath) => checkpointPath + ".lock";

    /// <summary>
    /// Takes the lock of <paramref name="checkpoint"/>; null when there is nothing to lock yet (a
    /// checkpoint kept in memory, or one whose directory does not exist yet).
    /// </summary>
    /// <exception cref="ForwarderRunningException">Another forwarder holds it.</exception>
    /// <exception cref="IOException">The lock file cannot be made or is not the caller's own.</exception>
    public static ForwarderLock? TryTake(ForwardingCheckpoint checkpoint, string shownEndpoint)
    {
        if (checkpoint.Path is not { } path || !Directory.Exists(System.IO.Path.GetDirectoryName(path))) return null;
        var lockPath = PathOf(path);
        var file = CrossProcessLock.Open(lockPath);
        try
        {
            if (file.TryAcquire(exclusive: true) is { } held) return new ForwarderLock(file, held);
            throw new ForwarderRunningException(lockPath, checkpoint.LogPath, shownEndpoint, file.HolderIds());
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _held.Dispose();
        _file.Dispose();
    }
}

/// <summary>Another forwarder of the same log and endpoint is running (it holds <see cref="LockPath"/>); nothing was sent.</summary>
public sealed class ForwarderRunningException : IOException
{
    public ForwarderRunningException(string lockPath, string logPath, string shownEndpoint, IReadOnlyList<int> holders)
        : base($"Another forwarder is sending the log '{logPath}' to '{shownEndpoint}': {Who(holders)} holds its lock '{lockPath}'. " +
            "One forwarder per log and endpoint at a time (two would send every event twice); stop that one, or wait until it ends.")
    {
        LockPath = lockPath;
        Holders = holders;
    }

    /// <summary>The lock file held.</summary>
    public string LockPath { get; }

    /// <summary>The ids of the processes that hold it (Linux, from /proc/locks); empty when they could not be found.</summary>
    public IReadOnlyList<int> Holders { get; }

    /// <summary>
    /// The holders by id and program name, not by command line: a forwarder's command line may
    /// carry its -Header or endpoint, secrets this message must not repeat.
    /// </summary>
    private static string Who(IReadOnlyList<int> holders) => holders.Count == 0
        ? "another process (which one could not be found)"
        : string.Join(", ", holders.Select(pid => $"process {pid.ToString(CultureInfo.InvariantCulture)} ({ProgramName(pid)})"));

    private static string ProgramName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm").Trim();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }
}
