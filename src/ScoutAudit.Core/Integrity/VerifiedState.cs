using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>
/// What the last verification without errors saw, kept in <c>&lt;active&gt;.verified</c> or where
/// the auditor says (Test-ScoutAuditLog -StatePath): the active file (its inode, the hash of its
/// first line, its length and the SHA-256 of those bytes), the chain's last entry, and the key that
/// signed the chain. A later verification requires the active file to still begin with the bytes
/// verified (or finds where they went: a seal, the original's archive), and the chain to still hold
/// the entry verified. Whoever can write the log's directory can delete a state kept beside the log:
/// an auditor keeps it in a folder of their own (about_ScoutAuditIntegrity).
/// </summary>
internal sealed record VerifiedState(string? ActiveInode, string? ActiveFirstLine, long ActiveLength, long? ChainSequence, string? ChainHead, string At)
{
    /// <summary>SHA-256 of the active file's first <see cref="ActiveLength"/> bytes; null in states written before it was kept.</summary>
    public string? ActivePrefix { get; init; }

    /// <summary>The key id of the chain's signed entries when verified; null when the chain was not signed.</summary>
    public string? SignedBy { get; init; }

    /// <summary>
    /// Archives outside the chain that this or an earlier verification recognised as the original
    /// tool's rotation of the active file it had verified (by name, SHA-256 of the file): they stay
    /// warnings, not errors, in later verifications while their bytes are the same.
    /// </summary>
    public IReadOnlyList<RecognisedArchive> OriginalArchives { get; init; } = [];

    /// <summary>When it was verified, as a time (null when the text is not one: the state was edited).</summary>
    public DateTimeOffset? VerifiedAt => UtcTimestamp.TryParse(Encoding.UTF8.GetBytes(At ?? ""), out var at) ? at : null;

    /// <summary>
    /// Reads the state; null when there is none. <paramref name="damaged"/>: the file is there but is
    /// no state (edited). With <paramref name="callersAloneOnly"/>, a file that is not the caller's
    /// alone to write (<see cref="SidecarTrust.IsCallersAlone"/>) is none; <paramref name="ignored"/> says so.
    /// </summary>
    public static VerifiedState? Read(string path, out bool damaged, bool callersAloneOnly, out bool ignored)
    {
        damaged = ignored = false;
        byte[] bytes;
        try
        {
            // Never a FIFO or a device someone put there: the open does not wait, and only a regular file is read.
            using var file = NativeFile.OpenRegularFileForReading(path);
            if (file is null) return null;
            if (callersAloneOnly && !SidecarTrust.IsCallersAlone(file))
            {
                ignored = true;
                return null;
            }
            // A state is a few hundred bytes, and a line per archive the original rotated: more is no state.
            var length = RandomAccess.GetLength(file);
            if (length > MaxBytes)
            {
                damaged = true;
                return null;
            }
            bytes = new byte[length];
            var read = 0;
            while (read < bytes.Length && RandomAccess.Read(file, bytes.AsSpan(read), read) is var got and > 0) read += got;
            bytes = bytes[..read];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        try
        {
            var state = JsonSerializer.Deserialize<VerifiedState>(bytes);
            if (state?.VerifiedAt is not null && state.ActiveLength >= 0) return state;
        }
        catch (JsonException)
        {
        }
        damaged = true;
        return null;
    }

    /// <summary>The largest state read: 16 MiB, about a hundred thousand recognised archives.</summary>
    private const long MaxBytes = 16L << 20;

    /// <summary>Replaces the file (<see cref="AtomicFile"/>); a directory the verifier cannot write only costs the next check.</summary>
    public void TryWrite(string path)
    {
        try
        {
            AtomicFile.Replace(path, JsonSerializer.SerializeToUtf8Bytes(this));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The next verification compares with what it finds then.
        }
    }

    /// <summary>Whether <paramref name="file"/> has the inode this state saw (inodes are reused: a hint, not a proof).</summary>
    public bool HasInodeOf(SafeFileHandle file) => ActiveInode is not null && ActiveInode == InodeOf(file);

    /// <summary>Whether <paramref name="file"/> is the active file this state saw, by inode or first line (for states without <see cref="ActivePrefix"/>).</summary>
    public bool IsAbout(SafeFileHandle file) =>
        HasInodeOf(file) || (ActiveFirstLine is not null && ActiveFirstLine == FirstLineOf(file));

    public bool RecognisesArchive(string name, string sha256) => OriginalArchives.Any(a => a.Archive == name && a.Sha256 == sha256);

    public static VerifiedState Of(SafeFileHandle file, long length, string prefix) => new(InodeOf(file), FirstLineOf(file), length, null, null, "") { ActivePrefix = prefix };

    private static string InodeOf(SafeFileHandle file)
    {
        var identity = NativeFile.IdentityOf(file);
        return $"{identity.Device}:{identity.Inode}";
    }

    private static string? FirstLineOf(SafeFileHandle file)
    {
        var start = new byte[4096];
        var read = RandomAccess.Read(file, start, 0);
        var end = start.AsSpan(0, read).IndexOf((byte)'\n');
        return end <= 0 ? null : ChainKey.HexSha256(start.AsSpan(0, end));
    }
}

/// <summary>An archive the original tool made from an active file that was verified: its file name and the SHA-256 of its bytes.</summary>
internal sealed record RecognisedArchive(string Archive, string Sha256);
