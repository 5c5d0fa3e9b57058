using System.Management.Automation;
using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>The signing and public keys that commands take as PEM files (-SigningKey, -PublicKey).</summary>
internal static class KeyFileReader
{
    /// <summary>
    /// The EC key in the PEM file <paramref name="path"/> (a PowerShell path), given as
    /// <paramref name="parameter"/>; with <paramref name="needPrivateKey"/> it must be a private key.
    /// A file that cannot be read or holds no such key is a terminating error that says what was wrong,
    /// and so is, on Unix, a private key's file that group or others may read or write (OpenSSH's rule
    /// for its keys): whoever can read the key can sign entries, so its signatures would vouch for
    /// nothing. A public key may be readable by anyone. Only a regular file is read: a FIFO or a
    /// device given as the key is refused at once, never waited on.
    /// </summary>
    public static ChainKey Read(PSCmdlet command, string path, string parameter, bool needPrivateKey)
    {
        string file = path, pem;
        KeyFileText text;
        try
        {
            file = command.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            text = KeyFile.Read(file);
            pem = text.Pem;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ItemNotFoundException or System.Management.Automation.DriveNotFoundException
                                          or ProviderNotFoundException or NotSupportedException or ArgumentException)
        {
            throw ErrorRecords.Terminate(command, new IOException($"Cannot read the key file '{file}' given to -{parameter}: {ErrorRecords.OneLine(error)}", error),
                ErrorIds.InvalidKey, ErrorCategory.ReadError, path);
        }
        ChainKey key;
        try
        {
            key = ChainKey.FromPem(pem);
        }
        catch (ArgumentException error)
        {
            throw ErrorRecords.Terminate(command, new ArgumentException($"The file '{file}' given to -{parameter} holds no EC key: {ErrorRecords.OneLine(error)} about_ScoutAuditIntegrity shows how to make one.", error),
                ErrorIds.InvalidKey, ErrorCategory.InvalidData, path);
        }
        if (key.HasPrivateKey && text.OpenToOthers)
        {
            key.Dispose();
            throw ErrorRecords.Terminate(command, new UnauthorizedAccessException(
                    $"The private key file '{file}' given to -{parameter} has mode {text.Octal}: group or others may read or write it, so anyone of them could sign " +
                    $"the log's entries. A private key file must be 0600 (read and written by its owner only): run chmod 600 '{file}', and make a new key if someone else may have read it."),
                ErrorIds.KeyFileOpenToOthers, ErrorCategory.SecurityError, path);
        }
        if (needPrivateKey && !key.HasPrivateKey)
        {
            key.Dispose();
            throw ErrorRecords.Terminate(command, new ArgumentException(
                    $"The file '{file}' given to -{parameter} holds a public key; signing needs the private key (\"-----BEGIN PRIVATE KEY-----\"). The public key is what Test-ScoutAuditLog -PublicKey takes."),
                ErrorIds.InvalidKey, ErrorCategory.InvalidArgument, path);
        }
        return key;
    }
}
