using System.Text;

namespace ScoutAudit.Core;

/// <summary>
/// A key file's text and permission bits, read as OpenSSH reads a key: a regular file only (links
/// followed; a FIFO or a device put there is never opened in a way that waits), no longer than a
/// key file is, its mode taken from the very handle its text is read from.
/// </summary>
public static class KeyFile
{
    /// <summary>More than any PEM key file holds; a longer file is not read.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>Group and others' read, write and execute bits: none may be set on a private key's file.</summary>
    public const UnixFileMode OthersBits =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Reads the key file at <paramref name="path"/> (a full file-system path).</summary>
    /// <exception cref="FileNotFoundException">Nothing is at the path.</exception>
    /// <exception cref="IOException">It is not a regular file, is longer than <see cref="MaxBytes"/>, or cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The caller may not read it.</exception>
    public static KeyFileText Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var handle = NativeFile.OpenRegularFileForReading(path);
        if (handle is null)
        {
            if (!System.IO.Path.Exists(path)) throw new FileNotFoundException($"Could not find the file '{path}'.", path);
            throw new IOException($"'{path}' is not a regular file (a directory, a FIFO or a device); a key is read from a file only.");
        }
        // Windows has ACLs, not mode bits: there the file's ACL is the user's to set, and nothing is checked.
        UnixFileMode? mode = OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(handle);
        var buffer = new byte[MaxBytes + 1];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(filled), filled);
            if (read == 0) break;
            filled += read;
        }
        if (filled > MaxBytes) throw new IOException($"'{path}' is longer than {MaxBytes / 1024} KiB, which no PEM key file is.");
        using var text = new StreamReader(new MemoryStream(buffer, 0, filled), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return new KeyFileText(text.ReadToEnd(), mode);
    }
}

/// <summary>The text of a key file and, on Unix, its permission bits.</summary>
/// <param name="Pem">The file's text.</param>
/// <param name="Mode">The file's permission bits; null on Windows.</param>
public sealed record KeyFileText(string Pem, UnixFileMode? Mode)
{
    /// <summary>Whether group or others may read, write or run the file: a private key's file must be 0600 or 0400.</summary>
    public bool OpenToOthers => Mode is { } mode && (mode & KeyFile.OthersBits) != 0;

    /// <summary>The permission bits as chmod writes them (<c>0644</c>); empty on Windows.</summary>
    public string Octal => Mode is { } mode ? "0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0') : "";
}
