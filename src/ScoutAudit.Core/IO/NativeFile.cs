using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>
/// The native calls .NET does not offer: append-mode opens, advisory locks (flock / LockFileEx),
/// file identity (statx / GetFileInformationByHandle), a file's owner, truncation after a failed
/// write, and directory sync. Linux is what CI runs; the Windows and macOS paths follow those systems'
/// documented APIs.
/// </summary>
/// <remarks>
/// This file is the platform-neutral API, each member choosing its platform; the calls themselves
/// live in NativeFile.Unix.cs (POSIX, shared by Linux and macOS), NativeFile.Linux.cs (statx),
/// NativeFile.MacOS.cs (struct stat) and NativeFile.Windows.cs (kernel32).
/// </remarks>
internal static partial class NativeFile
{
    /// <summary>
    /// Opens <paramref name="path"/> for appending, creating it (0600) when missing. On Unix no symbolic
    /// link is followed (O_NOFOLLOW) and a FIFO does not block the open; what was opened is checked by
    /// <see cref="FileSafety.RequireWritable"/> before anything is written.
    /// </summary>
    public static SafeFileHandle OpenForAppend(string path)
    {
        if (OperatingSystem.IsWindows()) return Windows.Open(path, Windows.FILE_APPEND_DATA | Windows.FILE_READ_DATA);
        return Checked(Unix.OpenNoFollow(path, Unix.O_RDWR | Unix.O_APPEND | Unix.O_CREAT), path, forWriting: true);
    }

    /// <summary>Disposes the handle when the file is not one to use (<see cref="FileSafety"/>).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static SafeFileHandle Checked(SafeFileHandle handle, string path, bool forWriting)
    {
        try
        {
            if (forWriting) FileSafety.RequireWritable(handle, path);
            else FileSafety.RequireRegular(handle, path);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a file used only for its locks, creating it (0600) when <paramref name="create"/> is set
    /// (for a writer, who then requires it to be its own, as <see cref="OpenForAppend"/>); without,
    /// for a reader, any regular file will do. Not through FileStream: .NET takes locks of its own on
    /// FileStreams. No link is followed.
    /// </summary>
    public static SafeFileHandle OpenLockFile(string path, bool create = true)
    {
        if (OperatingSystem.IsWindows()) return Windows.Open(path, Windows.GENERIC_READ | Windows.GENERIC_WRITE, create);
        // A reader takes an existing lock file of the log's owner (root reading another user's log); a writer only its own.
        return Checked(Unix.OpenNoFollow(path, Unix.O_RDWR | (create ? Unix.O_CREAT : 0)), path, forWriting: create);
    }

    /// <summary>The kind, links, owner and mode of the open file (Unix).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static FileStatus StatusOf(SafeFileHandle handle) => Unix.StatusOf(handle);

    /// <summary>The kind, links, owner and mode of the file at <paramref name="path"/> (links followed), or null when there is none (Unix).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static FileStatus? StatusOf(string path) => Unix.StatusOf(path);

    /// <summary>Sets the open file's permission bits (Unix).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static void ChangeMode(SafeFileHandle handle, UnixFileMode mode)
    {
        if (Unix.fchmod(handle, (uint)mode) != 0) throw Unix.Error("fchmod", null);
    }

    public static int Write(SafeFileHandle handle, ReadOnlySpan<byte> data)
    {
        if (OperatingSystem.IsWindows()) return Windows.Write(handle, data);
        while (true)
        {
            var written = Unix.Write(handle, data);
            if (written >= 0) return (int)written;
            if (Marshal.GetLastPInvokeError() != Unix.EINTR) throw Unix.Error("write", null);
        }
    }

    /// <summary>
    /// The handle's file offset: after an append, the end of what it wrote (O_APPEND moves it there).
    /// Null where it is not known (Windows append handles).
    /// </summary>
    public static long? Offset(SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows()) return null;
        var offset = Unix.lseek(handle, 0, Unix.SEEK_CUR);
        return offset >= 0 ? offset : null;
    }

    public static void Sync(SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows())
        {
            if (!Windows.FlushFileBuffers(handle)) throw Windows.Error("FlushFileBuffers");
            return;
        }
        if (Unix.fsync(handle) != 0) throw Unix.Error("fsync", null);
    }

    public static void Truncate(SafeFileHandle handle, long length)
    {
        if (OperatingSystem.IsWindows()) return; // append-only handles cannot truncate; the fragment gets a newline instead
        if (Unix.ftruncate(handle, length) != 0) throw Unix.Error("ftruncate", null);
    }

    /// <summary>Makes a rename or delete in <paramref name="directory"/> durable (a no-op on Windows, whose file system journals it).</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        using var handle = Unix.Open(directory, Unix.O_RDONLY);
        if (Unix.fsync(handle) != 0) throw Unix.Error("fsync", directory);
    }

    /// <summary>Takes an advisory lock on the whole file; returns false only when <paramref name="wait"/> is false and the lock is held elsewhere.</summary>
    public static bool Lock(SafeFileHandle handle, bool exclusive, bool wait)
    {
        if (OperatingSystem.IsWindows()) return Windows.Lock(handle, exclusive, wait);
        var operation = (exclusive ? Unix.LOCK_EX : Unix.LOCK_SH) | (wait ? 0 : Unix.LOCK_NB);
        while (Unix.flock(handle, operation) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Unix.EINTR) continue;
            if (errno == Unix.EWOULDBLOCK) return false;
            throw Unix.Error("flock", null);
        }
        return true;
    }

    public static void Unlock(SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows()) Windows.Unlock(handle);
        else if (Unix.flock(handle, Unix.LOCK_UN) != 0) throw Unix.Error("flock", null);
    }

    /// <summary>
    /// The regular file at <paramref name="path"/> (links followed) opened for reading, or null when
    /// nothing is there or it is not a regular file. A FIFO or a device is never opened in a way that
    /// waits: on Unix the open does not block, and the handle is checked before anything is read.
    /// </summary>
    public static SafeFileHandle? OpenRegularFileForReading(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            if (!File.Exists(path)) return null; // a directory, or nothing (named pipes live under \\.\pipe\, not among files)
            return OpenForReading(path);
        }
        var handle = OpenForReading(path);
        if (handle is null || Unix.StatusOf(handle).Kind == FileKind.Regular) return handle;
        handle.Dispose();
        return null;
    }

    /// <summary>
    /// The file at <paramref name="path"/> opened for reading whatever its kind, or null when nothing is
    /// there; on Unix the open never waits (O_NONBLOCK: a FIFO without a writer would block it), and
    /// without <paramref name="followLink"/> a symbolic link in the last component is refused. The
    /// caller checks the kind before reading (<see cref="FileSafety.OpenRegularForReading"/>).
    /// </summary>
    /// <exception cref="UnsafeFileException">The path is a symbolic link, and <paramref name="followLink"/> is false.</exception>
    public static SafeFileHandle? OpenForReading(string path, bool followLink = true)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (Exception gone) when (gone is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
        }
        try
        {
            return followLink ? Unix.Open(path, Unix.O_RDONLY | Unix.O_NONBLOCK) : Unix.OpenNoFollow(path, Unix.O_RDONLY);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (IOException error) when (error.HResult == Unix.ENOTDIR) // a file where a directory of the path should be
        {
            return null;
        }
    }

    /// <summary>The identity of the file at <paramref name="path"/>, or null when there is none.</summary>
    public static FileIdentity? IdentityOf(string path)
    {
        if (OperatingSystem.IsWindows()) return Windows.IdentityOf(path);
        return Unix.IdentityOf(path);
    }

    /// <summary>How many names the open file has: 0 once it was deleted while open (Windows: 1, its deletes wait for handles).</summary>
    public static uint LinkCountOf(SafeFileHandle handle) => OperatingSystem.IsWindows() ? 1 : Unix.StatusOf(handle).Links;

    public static FileIdentity IdentityOf(SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows()) return Windows.IdentityOf(handle);
        return Unix.IdentityOf(handle);
    }

    /// <summary>The process's effective user id, which owns the files it creates.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static uint EffectiveUserId => Unix.geteuid();
}
