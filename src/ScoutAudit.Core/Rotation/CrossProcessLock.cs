using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>
/// An advisory lock on a lock file, shared or exclusive, between processes. Each holder opens the
/// file itself: flock locks belong to the open file, so two holders sharing one handle would not
/// exclude each other.
/// </summary>
internal sealed class CrossProcessLock : IDisposable
{
    private readonly SafeFileHandle _handle;
    private FileIdentity? _identity;

    private CrossProcessLock(SafeFileHandle handle) => _handle = handle;

    /// <summary>Opens the lock file, creating it (0600) when missing.</summary>
    public static CrossProcessLock Open(string path) => new(NativeFile.OpenLockFile(path));

    /// <summary>Opens the lock file if it exists and can be opened (a reader on a read-only log goes without).</summary>
    public static CrossProcessLock? TryOpenExisting(string path)
    {
        try
        {
            return new CrossProcessLock(NativeFile.OpenLockFile(path, create: false));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Waits for the lock and keeps it until <see cref="Release"/>.</summary>
    public void Take(bool exclusive) => NativeFile.Lock(_handle, exclusive, wait: true);

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
    public Held Acquire(bool exclusive)
    {
        NativeFile.Lock(_handle, exclusive, wait: true);
        return new Held(_handle);
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>A held lock; releasing it keeps the file open for the next acquisition.</summary>
    public readonly struct Held(SafeFileHandle handle) : IDisposable
    {
        public void Dispose() => NativeFile.Unlock(handle);
    }
}
