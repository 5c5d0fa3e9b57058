using System.Diagnostics;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>
/// An advisory lock on a lock file, shared or exclusive, between processes. Each holder opens the
/// file itself: flock locks belong to the open file, so two holders sharing one handle would not
/// exclude each other. Waiting has a bound (<see cref="LockWaitException"/>): a lock is held for
/// milliseconds (an append, a seal), or for as long as one segment takes to compress; a holder that
/// keeps it longer is stuck, and a writer waiting on it forever would hang its runbook.
/// </summary>
internal sealed class CrossProcessLock : IDisposable
{
    /// <summary>How long a lock is waited for before <see cref="LockWaitException"/>.</summary>
    public static readonly TimeSpan DefaultWaitLimit = TimeSpan.FromSeconds(30);

    private readonly SafeFileHandle _handle;
    private readonly string _path;
    private readonly TimeSpan _waitLimit;
    private FileIdentity? _identity;

    private CrossProcessLock(SafeFileHandle handle, string path, TimeSpan? waitLimit)
    {
        _handle = handle;
        _path = path;
        _waitLimit = waitLimit ?? DefaultWaitLimit;
    }

    /// <summary>Opens the lock file, creating it (0600) when missing; it must be the caller's own (<see cref="FileSafety"/>).</summary>
    public static CrossProcessLock Open(string path, TimeSpan? waitLimit = null) => new(NativeFile.OpenLockFile(path), path, waitLimit);

    /// <summary>
    /// Opens the lock file if it exists and can be opened, and is the caller's or the log directory
    /// owner's (a reader on a read-only log, or of a lock file someone else put there, goes without).
    /// </summary>
    public static CrossProcessLock? TryOpenExisting(string path)
    {
        SafeFileHandle? handle = null;
        try
        {
            handle = NativeFile.OpenLockFile(path, create: false);
            if (!FileSafety.IsOwnedByCallerOrDirectoryOwner(handle, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!))
            {
                // Made by a third user in a shared directory: a lock no writer of the log takes, which they could hold forever.
                handle.Dispose();
                return null;
            }
            return new CrossProcessLock(handle, path, null);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            handle?.Dispose();
            return null;
        }
    }

    /// <summary>Waits for the lock and keeps it until <see cref="Release"/>.</summary>
    /// <exception cref="LockWaitException">It was held elsewhere for longer than the wait limit.</exception>
    public void Take(bool exclusive) => Wait(exclusive);

    public void Release() => NativeFile.Unlock(_handle);

    /// <summary>
    /// Whether the file at <paramref name="path"/> is still the one this lock holds. A lock file that
    /// was deleted (with its directory) and made again by another process is another file: locking
    /// the old one no longer excludes anyone. The open handle keeps the old file's identity from
    /// being reused, so the comparison cannot be fooled.
    /// </summary>
    /// <exception cref="IOException">The path cannot be examined (other than by being absent).</exception>
    public bool IsAt(string path)
    {
        _identity ??= NativeFile.IdentityOf(_handle);
        return NativeFile.IdentityOf(path) is { } atPath && atPath.SameFileAs(_identity.Value);
    }

    /// <summary>Takes the lock if no one else holds it; null when someone does.</summary>
    public Held? TryAcquire(bool exclusive) => NativeFile.Lock(_handle, exclusive, wait: false) ? new Held(_handle) : null;

    /// <summary>Waits for the lock; dispose the result to release it.</summary>
    /// <exception cref="LockWaitException">It was held elsewhere for longer than the wait limit.</exception>
    public Held Acquire(bool exclusive)
    {
        Wait(exclusive);
        return new Held(_handle);
    }

    /// <summary>
    /// Polls for the lock until the wait limit: a blocking flock cannot be given a deadline (only a
    /// signal interrupts it). Every millisecond for the first 100 ms, which is as long as a seal or
    /// a lease keeps it, so that a writer waits little more than the holder holds; then less and
    /// less often, up to every 16 ms.
    /// </summary>
    private void Wait(bool exclusive)
    {
        if (NativeFile.Lock(_handle, exclusive, wait: false)) return;
        var started = Stopwatch.GetTimestamp();
        var pause = 1;
        while (true)
        {
            Thread.Sleep(pause);
            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromMilliseconds(100)) pause = Math.Min(pause * 2, 16);
            if (NativeFile.Lock(_handle, exclusive, wait: false)) return;
            if (Stopwatch.GetElapsedTime(started) >= _waitLimit) throw new LockWaitException(_path, _waitLimit, Holders());
        }
    }

    /// <summary>The processes that hold a lock on this file, as /proc/locks lists them (Linux); empty elsewhere or when it cannot be read.</summary>
    private IReadOnlyList<string> Holders() =>
        HolderIds().Select(pid => $"process {pid} ({ForeignWriters.CommandLineOf(pid)})").ToList();

    /// <summary>The ids of the processes that hold a lock on this file, as /proc/locks lists them (Linux); empty elsewhere or when it cannot be read.</summary>
    public IReadOnlyList<int> HolderIds()
    {
        if (!OperatingSystem.IsLinux()) return [];
        try
        {
            var identity = NativeFile.IdentityOf(_handle);
            // "1: FLOCK  ADVISORY  WRITE 1234 fe:00:11660085 0 EOF": major and minor in hex, the inode in decimal;
            // "1: -> FLOCK ..." lines are waiters, not holders.
            var file = $"{identity.Device >> 32:x2}:{identity.Device & 0xFFFFFFFF:x2}:{identity.Inode}";
            var holders = new List<int>();
            foreach (var line in File.ReadLines("/proc/locks"))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 6 || fields[1] == "->" || fields[5] != file) continue;
                holders.Add(int.Parse(fields[4], CultureInfo.InvariantCulture));
            }
            return holders.Distinct().ToList();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return [];
        }
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>A held lock; releasing it keeps the file open for the next acquisition.</summary>
    public readonly struct Held(SafeFileHandle handle) : IDisposable
    {
        public void Dispose() => NativeFile.Unlock(handle);
    }
}

/// <summary>A lock of a log was held elsewhere for longer than a writer or reader waits; nothing was written.</summary>
public sealed class LockWaitException(string path, TimeSpan waited, IReadOnlyList<string> holders) : IOException(
    $"The lock file '{path}' was held by another for more than {waited.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} s " +
    $"({(holders.Count > 0 ? "held by " + string.Join(", ", holders) : "its holder could not be found")}): gave up waiting.")
{
    public string Path { get; } = path;

    public IReadOnlyList<string> Holders { get; } = holders;
}
