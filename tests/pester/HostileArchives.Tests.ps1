#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# A gzip bomb named like an archive, dropped beside the log by another user who can write its
# directory: what the user sees of it in queries and in Test-ScoutAuditLog.

Describe 'A gzip bomb beside the log' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module (Get-ScoutAuditModulePath) -Force

        # 1 GiB of zeros in one gzip member: about 1 MB on disk, made once for the file.
        $stream = [System.IO.MemoryStream]::new()
        $gzip = [System.IO.Compression.GZipStream]::new($stream, [System.IO.Compression.CompressionLevel]::Optimal, $true)
        $zeros = [byte[]]::new(1MB)
        for ($i = 0; $i -lt 1024; $i++) { $gzip.Write($zeros, 0, $zeros.Length) }
        $gzip.Dispose()
        $script:bombBytes = $stream.ToArray()
    }

    AfterAll {
        Remove-Module ScoutAudit -ErrorAction SilentlyContinue
    }

    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $log = Join-Path $folder 'audit.jsonl'
        Write-ScoutAuditEvent nav -InputTokens 1 -Path $log
        $null = Invoke-ScoutAuditRotation -Path $log -Confirm:$false
        Write-ScoutAuditEvent nav -InputTokens 2 -Path $log
        Close-ScoutAuditLog -Path $log
        $bomb = Join-Path $folder 'audit_20260101_000000.jsonl.gz'
        [System.IO.File]::WriteAllBytes($bomb, $script:bombBytes)
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
    }

    It 'Get-ScoutAuditEvent warns that the archive is suspicious, names it and the limit, and returns the real events' {
        $events = @(Get-ScoutAuditEvent -Path $log -WarningVariable warnings -WarningAction SilentlyContinue)

        $events.InputTokens | Should -Be @(1, 2)
        $suspicious = @($warnings | Where-Object { "$_" -like "The archive '$bomb' is suspicious*" })
        $suspicious.Count | Should -Be 1
        "$($suspicious[0])" | Should -BeLike '*its gzip trailer announces 1073741824 bytes*'
        "$($suspicious[0])" | Should -BeLike "*at most 768 times its size ($(768 * $script:bombBytes.Length) bytes for this one)*"
        "$($suspicious[0])" | Should -BeLike '*none of its events from there on are returned*(ArchiveSuspicious).'
    }

    It 'a second query in the session warns again, without reading the archive again' {
        $null = Get-ScoutAuditEvent -Path $log -WarningAction SilentlyContinue

        $events = @(Get-ScoutAuditEvent -Path $log -WarningVariable warnings -WarningAction SilentlyContinue)

        $events.InputTokens | Should -Be @(1, 2)
        @($warnings | Where-Object { "$_" -like "The archive '$bomb' is suspicious*found so earlier in this session and is not read again*" }).Count | Should -Be 1
    }

    It 'aggregates warn the same way and sum the real events' {
        $spend = Get-ScoutAuditSpend -Path $log -Since ([datetime]::UtcNow.AddDays(-1)) -WarningVariable warnings -WarningAction SilentlyContinue

        $spend.Events | Should -Be 2
        @($warnings | Where-Object { "$_" -like "The archive '$bomb' is suspicious*" }).Count | Should -Be 1
    }

    It 'Test-ScoutAuditLog reports it as an ArchiveSuspicious error, and -Quiet is $false' {
        $findings = @(Test-ScoutAuditLog -Path $log | Where-Object Path -eq $bomb)

        $findings.Kind | Should -Be 'ArchiveSuspicious'
        $findings.Severity | Should -Be 'Error'
        $findings.Message | Should -BeLike '*its gzip trailer announces 1073741824 bytes*'
        Test-ScoutAuditLog -Path $log -Quiet | Should -BeFalse
    }
}
