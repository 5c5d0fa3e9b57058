using System.ComponentModel;
using System.Runtime.InteropServices;

namespace ScoutAudit.Testing;

/// <summary>
/// Real faults need a privileged Linux process: the tests run as root here, and root ignores
/// permission bits. So they make faults the kernel enforces even for root: a tiny tmpfs (a real
/// ENOSPC), a tmpfs remounted read-only (EROFS), the immutable attribute (EPERM, as chattr +i sets
/// it), and, for "unreadable", a thread whose file-system uid is "nobody" (setfsuid drops root's
/// CAP_DAC_OVERRIDE for that thread only). Everything happens inside a tmpfs mounted by the test and
/// unmounted after it, so a failed test leaves nothing behind.
/// </summary>
internal static class Privileged
{
    public const int Nobody = 65534;

    private static readonly Lazy<string?> Unavailable = new(Probe);

    /// <summary>True under CI=true: there the privileged tests must run, so a missing privilege fails them.</summary>
    public static bool RequiredByCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the privileged tests cannot run here, or null when they can (or must, under CI=true).</summary>
    public static string? SkipReason => Unavailable.Value is { } why && !RequiredByCi ? why : null;

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "needs Linux (tmpfs mounts, chattr +i, setfsuid)";
        if (geteuid() != 0) return "needs root to mount a tmpfs and set the immutable attribute (run as root, or under CI=true)";
        try
        {
            using var probe = new Tmpfs(4096);
        }
        catch (Exception error) when (error is Win32Exception or IOException)
        {
            return $"mounting a tmpfs was refused ({error.Message}); a container without CAP_SYS_ADMIN cannot run these tests";
        }
        return null;
    }

    /// <summary>Sets or clears the immutable attribute (FS_IMMUTABLE_FL, what chattr +i sets): no one, root included, may write, rename or delete it.</summary>
    public static void SetImmutable(string path, bool immutable)
    {
        var fd = open(path, 0x800 /* O_NONBLOCK */ | 0x80000 /* O_CLOEXEC */, 0);
        if (fd < 0) throw Error($"open '{path}'");
        try
        {
            var flags = 0;
            if (ioctl(fd, FS_IOC_GETFLAGS, ref flags) != 0) throw Error($"FS_IOC_GETFLAGS '{path}'");
            flags = immutable ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
            if (ioctl(fd, FS_IOC_SETFLAGS, ref flags) != 0) throw Error($"FS_IOC_SETFLAGS '{path}'");
        }
        finally
        {
            close(fd);
        }
    }

    /// <summary>An immutable file or directory for the scope of a using.</summary>
    public static IDisposable Immutable(string path)
    {
        SetImmutable(path, true);
        return new Scope(() => SetImmutable(path, false));
    }

    /// <summary>
    /// Runs <paramref name="action"/> on a thread of its own whose file-system uid and gid are
    /// <paramref name="uid"/>: the kernel checks every open on that thread against that user, without
    /// root's override, while the rest of the process stays root.
    /// </summary>
    public static void RunAsFileSystemUser(int uid, Action action, TimeSpan? timeout = null)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            setfsgid(uid);
            setfsuid(uid);
            try
            {
                if (setfsuid(uid) != uid) throw new InvalidOperationException($"setfsuid({uid}) did not take effect");
                action();
            }
            catch (Exception error)
            {
                failure = error;
            }
            finally
            {
                setfsuid(0);
                setfsgid(0);
            }
        });
        thread.Start();
        if (!thread.Join(timeout ?? TimeSpan.FromMinutes(1))) throw new TimeoutException("the action as another user did not finish in time");
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }

    /// <summary>
    /// Gives <paramref name="path"/> to another user and group (chown, which only root may do): what a
    /// file that user made, or put in place of the owner's, looks like to the owner.
    /// </summary>
    public static void ChangeOwner(string path, int uid)
    {
        if (chown(path, uid, uid) != 0) throw Error($"chown '{path}'");
    }

    internal static Win32Exception Error(string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new Win32Exception(errno, $"{what} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }

    private const ulong FS_IOC_GETFLAGS = 0x80086601, FS_IOC_SETFLAGS = 0x40086602;
    private const int FS_IMMUTABLE_FL = 0x10;

    [DllImport("libc", SetLastError = true)]
    internal static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    private static extern int chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int uid, int gid);

    [DllImport("libc", SetLastError = true)]
    private static extern int setfsuid(int uid);

    [DllImport("libc", SetLastError = true)]
    private static extern int setfsgid(int gid);

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int ioctl(int fd, ulong request, ref int argument);

    private sealed class Scope(Action undo) : IDisposable
    {
        private Action? _undo = undo;

        public void Dispose() => Interlocked.Exchange(ref _undo, null)?.Invoke();
    }
}

/// <summary>A tmpfs of a given size mounted on a fresh directory; unmounted (and the directory removed) on dispose.</summary>
internal sealed class Tmpfs : IDisposable
{
    private const ulong MS_RDONLY = 1, MS_REMOUNT = 32;
    private const int MNT_DETACH = 2;

    private bool _mounted;

    public Tmpfs(long sizeBytes)
    {
        FullPath = Path.Combine(Path.GetTempPath(), "scoutaudit-tmpfs", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(FullPath);
        Size = sizeBytes;
        if (mount("tmpfs", FullPath, "tmpfs", 0, Options(sizeBytes)) != 0)
        {
            var error = Privileged.Error($"mount -t tmpfs '{FullPath}'");
            Directory.Delete(FullPath);
            throw error;
        }
        _mounted = true;
    }

    public string FullPath { get; }

    public long Size { get; private set; }

    public string File(params string[] parts) => Path.Combine([FullPath, .. parts]);

    /// <summary>Remounts with a new size (to free space) or read-only.</summary>
    public void Remount(long? sizeBytes = null, bool readOnly = false)
    {
        Size = sizeBytes ?? Size;
        // A remount read-only is refused (EBUSY) while any process holds a file of it open for
        // writing, and a child that another test forks in the same moment holds the parent's files
        // until it execs: waited out for a few seconds. A handle the module really left open stays
        // open past them, and fails the test as before.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (mount("tmpfs", FullPath, "tmpfs", MS_REMOUNT | (readOnly ? MS_RDONLY : 0), Options(Size)) != 0)
        {
            var error = Privileged.Error($"mount -o remount '{FullPath}'");
            if (error.NativeErrorCode != EBUSY || DateTime.UtcNow > deadline) throw error;
            Thread.Sleep(50);
        }
    }

    private const int EBUSY = 16;

    public void Dispose()
    {
        if (!_mounted) return;
        _mounted = false;
        // A handle a failed test left open keeps the mount busy; detach it then, so nothing stays mounted at this path.
        if (umount2(FullPath, 0) != 0 && umount2(FullPath, MNT_DETACH) != 0) throw Privileged.Error($"umount '{FullPath}'");
        Directory.Delete(FullPath);
    }

    private static string Options(long sizeBytes) => $"size={sizeBytes},mode=0755";

    [DllImport("libc", SetLastError = true)]
    private static extern int mount([MarshalAs(UnmanagedType.LPUTF8Str)] string source, [MarshalAs(UnmanagedType.LPUTF8Str)] string target,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string type, ulong flags, [MarshalAs(UnmanagedType.LPUTF8Str)] string data);

    [DllImport("libc", SetLastError = true)]
    private static extern int umount2([MarshalAs(UnmanagedType.LPUTF8Str)] string target, int flags);
}

/// <summary>A fact that needs root and a tmpfs mount; skipped with the reason where it cannot run, except under CI=true.</summary>
public sealed class PrivilegedFactAttribute : FactAttribute
{
    public PrivilegedFactAttribute()
    {
        if (Privileged.SkipReason is { } why) Skip = why;
    }
}

/// <summary>A theory that needs root and a tmpfs mount; skipped with the reason where it cannot run, except under CI=true.</summary>
public sealed class PrivilegedTheoryAttribute : TheoryAttribute
{
    public PrivilegedTheoryAttribute()
    {
        if (Privileged.SkipReason is { } why) Skip = why;
    }
}
