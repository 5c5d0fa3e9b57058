namespace ScoutAudit.Core;

/// <summary>
/// Wakes a follower when a file of the log may have changed: a file-system notification on the
/// log's directory (inotify, FSEvents, ReadDirectoryChangesW through .NET's FileSystemWatcher),
/// with a slow poll behind it for what notifications miss (network file systems, an overflowed
/// event queue), and a quick poll where no watcher can be had (the directory does not exist yet,
/// the system's limit of watches is reached). A wake is only a hint: the follower checks the file.
/// </summary>
internal sealed class ChangeSignal : IDisposable
{
    /// <summary>How often a watched log is checked anyway.</summary>
    public static readonly TimeSpan WatchedPoll = TimeSpan.FromSeconds(1);

    /// <summary>How often a log without a watcher is checked: within the 250 ms an event may take to appear.</summary>
    public static readonly TimeSpan UnwatchedPoll = TimeSpan.FromMilliseconds(200);

    private readonly string _directory;
    private readonly string _prefix;
    private readonly AutoResetEvent _changed = new(false);
    private FileSystemWatcher? _watcher;
    private bool _disposed;

    public ChangeSignal(string directory, string stem)
    {
        _directory = directory;
        _prefix = stem;
        TryWatch();
    }

    /// <summary>Whether file-system notifications are in use (else the quick poll).</summary>
    public bool IsWatching => _watcher is not null;

    /// <summary>Returns when a file of the log may have changed, or the poll interval has passed.</summary>
    /// <exception cref="OperationCanceledException">Cancelled while waiting.</exception>
    public void Wait(CancellationToken cancellation)
    {
        if (_watcher is null) TryWatch();
        WaitHandle.WaitAny([_changed, cancellation.WaitHandle], _watcher is null ? UnwatchedPoll : WatchedPoll);
        cancellation.ThrowIfCancellationRequested();
    }

    private void TryWatch()
    {
        if (_disposed || !Directory.Exists(_directory)) return;
        try
        {
            var watcher = new FileSystemWatcher(_directory, _prefix + "*")
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
                IncludeSubdirectories = false,
            };
            watcher.Changed += OnChange;
            watcher.Created += OnChange;
            watcher.Renamed += OnChange;
            watcher.Deleted += OnChange;
            watcher.Error += (_, _) => Signal(); // events were lost: look now
            watcher.EnableRaisingEvents = true;
            _watcher = watcher;
        }
        catch (Exception error) when (error is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            // No watcher (a limit of the system, a directory that went): the quick poll does the work.
        }
    }

    private void OnChange(object sender, FileSystemEventArgs change) => Signal();

    private void Signal()
    {
        try
        {
            _changed.Set();
        }
        catch (ObjectDisposedException)
        {
            // A notification that arrived while the follower stopped.
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _watcher?.Dispose();
        _changed.Dispose();
    }
}
