namespace ScoutAudit.Core;

/// <summary>Where a command keeps what it remembers of a log between runs (<see cref="StateLocation"/>).</summary>
public enum StatePlace
{
    /// <summary>Where the user said (Test-ScoutAuditLog -StatePath, Send-ScoutAuditEvent -CheckpointPath).</summary>
    Given,

    /// <summary>Beside the log, in a directory the caller owns.</summary>
    BesideLog,

    /// <summary>In the caller's own cache directory: the log's directory is another user's.</summary>
    CallersCache,

    /// <summary>Nowhere: the log's directory is another user's and the caller's cache may not be used; kept in memory for this run only.</summary>
    NotKept,
}

/// <summary>
/// Where a verification's state or a forwarding checkpoint lives. A command that only reads a log
/// writes nothing in a directory the caller does not own: there its state goes to the caller's
/// cache (<c>$XDG_CACHE_HOME/scoutaudit</c>, else <c>~/.cache/scoutaudit</c>), or nowhere.
/// </summary>
/// <param name="Path">The file; null when nothing is kept (<see cref="StatePlace.NotKept"/>).</param>
/// <param name="Place">Which of the places it is.</param>
/// <param name="Note">Why the state is not beside the log, for the user to read once; null when it is where they would look.</param>
public sealed record StateLocation(string? Path, StatePlace Place, string? Note)
{
    /// <summary>A file the user named.</summary>
    public static StateLocation Given(string path) => new(System.IO.Path.GetFullPath(path), StatePlace.Given, null);
}
