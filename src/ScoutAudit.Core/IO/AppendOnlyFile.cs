using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>
/// A file opened in the operating system's append mode (O_APPEND on Unix, FILE_APPEND_DATA on
/// Windows), so that every write lands at the current end of the file even when other processes
/// append too. .NET's FileMode.Append only seeks once and then writes at its own remembered
/// offset (dotnet/runtime#53432), which lets two processes overwrite each other; hence the
/// small native layer in <see cref="NativeFile"/>.
/// </summary>
internal sealed class AppendOnlyFile : IDisposable
{
    private readonly SafeFileHandle _handle;

    private AppendOnlyFile(string path, SafeFileHandle handle)
    {
        Path = path;
        _handle = handle;
    }

    public string Path { get; }

    /// <summary>Opens (creating owner-only, 0600) the file for appending.</summary>
    public static AppendOnlyFile Open(string path) => new(path, NativeFile.OpenForAppend(path));

    /// <summary>The handle, for what reads or locks the file as a whole (<see cref="StrandedLines"/>).</summary>
    public SafeFileHandle Handle => _handle;

    /// <summary>Which file this handle writes to, and its size now.</summary>
    public FileIdentity Identity => NativeFile.IdentityOf(_handle);

    /// <summary>The file's current length.</summary>
    public long Length => RandomAccess.GetLength(_handle);

    /// <summary>
    /// Appends <paramref name="data"/> with one write call (more only if the OS accepts part of it).
    /// If the write fails part-way, the fragment is removed again when it is still the file's tail,
    /// and otherwise terminated with a newline, so it can never glue onto the next event.
    /// </summary>
    /// <returns>The offset just past the data when it went in one write call and the OS says where (Unix); else null.</returns>
    /// <exception cref="IOException">The write failed; the message carries the OS error.</exception>
    public long? Append(ReadOnlySpan<byte> data)
    {
        var written = 0;
        var calls = 0;
        try
        {
            while (written < data.Length)
            {
                written += NativeFile.Write(_handle, data[written..]);
                calls++;
            }
        }
        catch (IOException) when (written > 0)
        {
            RemoveFragment(data[..written]);
            throw;
        }
        return calls == 1 ? NativeFile.Offset(_handle) : null;
    }

    /// <summary>Whether what starts at <paramref name="offset"/> starts a line: the byte before it is a newline, or there is none.</summary>
    public bool StartsALine(long offset)
    {
        if (offset <= 0) return true;
        Span<byte> before = stackalloc byte[1];
        return RandomAccess.Read(_handle, before, offset - 1) == 1 && before[0] == (byte)'\n';
    }

    /// <summary>
    /// Terminates a torn last line (one left without its newline by a crash or power loss), so that
    /// the next event starts on a line of its own. Returns true when it did.
    /// </summary>
    public bool TerminateTornTail()
    {
        if (!EndsWithoutNewline()) return false;
        Append("\n"u8);
        return true;
    }

    /// <summary>
    /// True when the file's last byte is not a newline: a torn line, or a write in progress in another
    /// process (a long write's pages become visible one by one).
    /// </summary>
    public bool EndsWithoutNewline(long? knownLength = null)
    {
        var length = knownLength ?? Length;
        if (length == 0) return false;
        Span<byte> last = stackalloc byte[1];
        return RandomAccess.Read(_handle, last, length - 1) == 1 && last[0] != (byte)'\n';
    }

    /// <summary>Reads from <paramref name="offset"/>; returns the bytes read.</summary>
    public int ReadAt(Span<byte> buffer, long offset) => RandomAccess.Read(_handle, buffer, offset);

    /// <summary>Forces what was written to stable storage (fsync / FlushFileBuffers).</summary>
    public void Sync() => NativeFile.Sync(_handle);

    public void Dispose() => _handle.Dispose();

    private void RemoveFragment(ReadOnlySpan<byte> fragment)
    {
        try
        {
            var length = Length;
            if (length >= fragment.Length)
            {
                var tail = new byte[fragment.Length];
                var read = RandomAccess.Read(_handle, tail, length - fragment.Length);
                if (read == fragment.Length && fragment.SequenceEqual(tail))
                {
                    NativeFile.Truncate(_handle, length - fragment.Length);
                    return;
                }
            }
            NativeFile.Write(_handle, "\n"u8);
        }
        catch (IOException)
        {
            // Nothing more can be done now; the next open repairs a torn tail.
        }
        catch (NotSupportedException)
        {
        }
    }
}
