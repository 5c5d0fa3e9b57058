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

    /// <summary>Waits for the lock; dispose the result to release it.</summary>
    /// <summary>Takes the lock if no one else holds it; null when someone does.</summary>
    public Held? TryAcquire(bool exclusive) => NativeFile.Lock(_handle, exclusive, wait: false) ? new Held(_handle) : null;

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
