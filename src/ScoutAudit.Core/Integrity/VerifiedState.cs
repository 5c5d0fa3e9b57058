using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>
/// What the last verification without errors saw, kept in <c>&lt;active&gt;.verified</c>: the active
/// file (its inode, and the hash of its first line: a rotation changes both, an edit in place keeps
/// the first, an editor that writes a new file keeps the second) and its length, and the chain's
/// last entry. A later verification finds a file cut shorter or a chain cut back against it. Whoever
/// can delete the file can delete this one too: it catches accidents and careless edits, the
/// signature and forwarding catch the rest (about_ScoutAuditIntegrity).
/// </summary>
internal sealed record VerifiedState(string? ActiveInode, string? ActiveFirstLine, long ActiveLength, long? ChainSequence, string? ChainHead, string At)
{
    public static VerifiedState? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<VerifiedState>(File.ReadAllBytes(path));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

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

    /// <summary>Whether <paramref name="file"/> is the active file this state saw (not one a rotation started since).</summary>
    public bool IsAbout(SafeFileHandle file) =>
        (ActiveInode is not null && ActiveInode == InodeOf(file)) || (ActiveFirstLine is not null && ActiveFirstLine == FirstLineOf(file));

    public static VerifiedState Of(SafeFileHandle file, long length) => new(InodeOf(file), FirstLineOf(file), length, null, null, "");

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
