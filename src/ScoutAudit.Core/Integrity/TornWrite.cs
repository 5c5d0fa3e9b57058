using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>
/// Whether a damaged line is what a write torn by a crash leaves once a writer repaired it, rather
/// than an edit. Linux stops a write to a regular file that a signal kills between pages of the
/// file, and a power loss keeps whole pages or leaves zeros where the size outran the data; so a
/// torn fragment is the start of a JSON object that ends at a multiple of 4096 bytes in the file,
/// or runs into NUL bytes. The writer's repair then ends it with a newline. A line that was cut
/// anywhere else (a closing brace removed, a value shortened) is not this, and is reported as
/// possibly altered.
/// </summary>
internal static class TornWrite
{
    private const int PageBytes = 4096;

    /// <param name="line">The line, without its newline.</param>
    /// <param name="end">Where the line's bytes end in the file (the offset of its newline).</param>
    public static bool IsRepaired(ReadOnlySpan<byte> line, long end)
    {
        var nul = line.IndexOf((byte)0);
        if (nul >= 0)
        {
            if (line[nul..].IndexOfAnyExcept((byte)0) >= 0) return false; // zeros only at the end
            line = line[..nul];
        }
        else if (end % PageBytes != 0)
        {
            return false;
        }
        return line.IsEmpty || IsStartOfObject(line);
    }

    /// <summary>True when the bytes begin a JSON object that they do not complete.</summary>
    private static bool IsStartOfObject(ReadOnlySpan<byte> bytes)
    {
        if (bytes[0] != (byte)'{') return false;
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 0 && reader.TokenType == JsonTokenType.EndObject) return false; // a whole object: not torn
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
