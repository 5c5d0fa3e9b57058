#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# An auditor verifies a log: Test-ScoutAuditLog on a clean, a tampered, a signed and an adopted
# history, as a runbook and as a person at the prompt run it.

Describe 'Test-ScoutAuditLog' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module (Get-ScoutAuditModulePath) -Force

        # Writes events and rotates, $Count times: a history of $Count archives and an active file.
        # Returns the archives' paths, oldest first (by name they sort so only ordinally).
        function New-History([string] $Path, [int] $Count) {
            foreach ($n in 1..$Count) {
                Write-ScoutAuditEvent nav -Cost 0.001 -Model gpt-4o-mini -InputTokens $n -Path $Path
                (Invoke-ScoutAuditRotation -Path $Path -Confirm:$false).Path
            }
            Write-ScoutAuditEvent deep -Path $Path
            Close-ScoutAuditLog -Path $Path
        }

        function Get-FolderState([string] $Folder) {
            (Get-ChildItem -LiteralPath $Folder -File | Sort-Object Name | ForEach-Object {
                    '{0} {1}' -f $_.Name, (Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash
                }) -join "`n"
        }
    }

    AfterAll {
        Remove-Module ScoutAudit -ErrorAction SilentlyContinue
    }

    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $log = Join-Path $folder 'audit.jsonl'
    }

    AfterEach {
        Set-ScoutAuditLog -Path $log -SigningKey '' -KeepArchives $null -KeepArchivesFor $null -RotationInterval None
        Close-ScoutAuditLog -Path $log
    }

    It 'verifies a clean history: no finding, a summary that says Verified, and $true with -Quiet' {
        $null = New-History $log 4

        $output = @(Test-ScoutAuditLog -Path $log)

        $output.Count | Should -Be 1
        $output[0].PSObject.TypeNames[0] | Should -Be 'ScoutAudit.LogVerification'
        $output[0].Status | Should -Be 'Verified'
        $output[0].Archives | Should -Be 4
        $output[0].Chained | Should -Be 4
        Test-ScoutAuditLog -Path $log -Quiet | Should -BeTrue
    }

    It 'names the archive whose byte was flipped, with the digests expected and found, and -Quiet is $false' {
        $archive = (New-History $log 4)[2]
        $bytes = [System.IO.File]::ReadAllBytes($archive)
        $bytes[30] = $bytes[30] -bxor 0x40
        [System.IO.File]::WriteAllBytes($archive, $bytes)

        $findings = @(Test-ScoutAuditLog -Path $log | Where-Object { $_ -is [ScoutAudit.IntegrityFinding] })

        $findings.Count | Should -Be 1
        $findings[0].Kind | Should -Be 'ArchiveModified'
        $findings[0].Severity | Should -Be 'Error'
        $findings[0].Path | Should -Be $archive
        $findings[0].Actual | Should -Match (Get-FileHash -LiteralPath $archive -Algorithm SHA256).Hash.ToLowerInvariant()
        Test-ScoutAuditLog -Path $log -Quiet | Should -BeFalse
    }

    It 'verifies a history signed with Set-ScoutAuditLog -SigningKey with the public key alone' {
        $key = New-SigningKey $folder
        Set-ScoutAuditLog -Path $log -SigningKey $key.Private
        $null = New-History $log 3

        $summary = Test-ScoutAuditLog -Path $log -PublicKey $key.Public

        $summary.Status | Should -Be 'Verified'
        $summary.SignaturesChecked | Should -Be 6 -Because "each rotation signs its seal and its archive"
        (Get-ScoutAuditLog -Path $log).SigningKey | Should -Match '^[0-9a-f]{16}$'
    }

    It 'finds, with the public key, an index entry rewritten together with its archive' {
        $key = New-SigningKey $folder
        Set-ScoutAuditLog -Path $log -SigningKey $key.Private
        # The last archive replaced with one that claims more tokens, and its entry made to match it.
        $archive = (New-History $log 3)[-1]
        $forged = [System.IO.File]::Create($archive)
        $gzip = [System.IO.Compression.GZipStream]::new($forged, [System.IO.Compression.CompressionLevel]::Optimal)
        $text = [System.Text.Encoding]::UTF8.GetBytes((New-ScoutAuditLine -Utc ([datetime]::UtcNow) -Event nav -Field @{ input_t = 999999 }) + "`n")
        $gzip.Write($text, 0, $text.Length)
        $gzip.Dispose()
        $index = Join-Path $folder 'audit.index.jsonl'
        $lines = [System.IO.File]::ReadAllLines($index)
        $lines[-1] = $lines[-1] -replace '"sha256":"[0-9a-f]+"', ('"sha256":"{0}"' -f (Get-FileHash -LiteralPath $archive -Algorithm SHA256).Hash.ToLowerInvariant()) -replace '"gz_bytes":\d+', ('"gz_bytes":{0}' -f (Get-Item -LiteralPath $archive).Length)
        [System.IO.File]::WriteAllText($index, ($lines -join "`n") + "`n")

        $unsigned = @(Test-ScoutAuditLog -Path $log | Where-Object Severity -eq Error)
        $signed = @(Test-ScoutAuditLog -Path $log -PublicKey $key.Public | Where-Object Severity -eq Error)

        $unsigned | Should -BeNullOrEmpty -Because 'without the key, an entry and its archive edited together look like any other'
        $signed.Kind | Should -Be 'SignatureInvalid'
        $signed.Entry | Should -Be 5 -Because "entries 0 to 5 are three seals and three archives"
    }

    It 'refuses a public key given to -SigningKey, and a file that holds no key, saying which' {
        $key = New-SigningKey $folder
        $notAKey = Join-Path $folder 'notes.txt'
        Set-Content -LiteralPath $notAKey -Value 'not a key'

        { Set-ScoutAuditLog -Path $log -SigningKey $key.Public } | Should -Throw -ErrorId 'InvalidKey,*' -ExpectedMessage '*holds a public key*'
        { Test-ScoutAuditLog -Path $log -PublicKey $notAKey } | Should -Throw -ErrorId 'InvalidKey,*' -ExpectedMessage '*holds no EC key*'
    }

    It 'refuses a private key file of mode <Mode> as -SigningKey and -PublicKey, saying the mode and chmod 600' -Skip:$IsWindows -ForEach @(
        @{ Mode = '644' }
        @{ Mode = '640' }
        @{ Mode = '604' }
        @{ Mode = '620' }
        @{ Mode = '602' }
        @{ Mode = '666' }
    ) {
        $key = New-SigningKey $folder
        chmod $Mode $key.Private

        { Set-ScoutAuditLog -Path $log -SigningKey $key.Private } |
            Should -Throw -ErrorId 'KeyFileOpenToOthers,ScoutAudit.PowerShell.Commands.SetScoutAuditLogCommand' -ExpectedMessage "*'$($key.Private)'*mode 0$Mode*must be 0600*chmod 600 '$($key.Private)'*"
        { Test-ScoutAuditLog -Path $log -PublicKey $key.Private } |
            Should -Throw -ErrorId 'KeyFileOpenToOthers,ScoutAudit.PowerShell.Commands.TestScoutAuditLogCommand' -ExpectedMessage "*mode 0$Mode*chmod 600*"
        (Get-ScoutAuditLog -Path $log).SigningKey | Should -BeNullOrEmpty
    }

    It 'signs with a private key file of mode <Mode> and verifies with a public key anyone may read' -Skip:$IsWindows -ForEach @(
        @{ Mode = '600' }
        @{ Mode = '400' }
    ) {
        $key = New-SigningKey $folder
        chmod $Mode $key.Private
        chmod 644 $key.Public

        Set-ScoutAuditLog -Path $log -SigningKey $key.Private
        Write-ScoutAuditEvent nav -Path $log
        $null = Invoke-ScoutAuditRotation -Path $log -Confirm:$false

        Test-ScoutAuditLog -Path $log -PublicKey $key.Public -Quiet | Should -BeTrue
    }

    It 'refuses a <Kind> given as <Parameter> at once, without waiting on it' -Skip:$IsWindows -ForEach @(
        @{ Kind = 'FIFO'; Parameter = 'SigningKey'; Command = 'Set-ScoutAuditLog' }
        @{ Kind = 'FIFO'; Parameter = 'PublicKey'; Command = 'Test-ScoutAuditLog' }
        @{ Kind = 'device'; Parameter = 'SigningKey'; Command = 'Set-ScoutAuditLog' }
    ) {
        if ($Kind -eq 'FIFO') {
            $fifo = Join-Path $folder 'key.pem'
            mkfifo $fifo
        }
        else {
            $fifo = '/dev/zero' # endless: a read to its end never ends
        }
        $script = Join-Path $folder 'fifo.ps1'
        Set-Content -LiteralPath $script -Value @"
Import-Module `$env:SCOUT_TEST_MODULE
try { $Command -Path '$log' -$Parameter '$fifo'; 'no error' }
catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }
"@

        # A read that waited on the FIFO or read the device to its end would never end: the child is killed after 60 s and the test fails.
        $run = Invoke-ChildPwsh -ArgumentList '-File', $script -Environment @{ HOME = $folder; SCOUT_AUDIT_PATH = $log } -TimeoutSeconds 60

        $run.StdErr | Should -BeNullOrEmpty
        $run.StdOut | Should -Match "^InvalidKey,ScoutAudit\.PowerShell\.Commands\.$($Command -replace '-', '')Command"
        $run.StdOut | Should -Match 'not a regular file'
    }

    It 'reports the original''s archives as unchained, changes nothing under Register-ScoutAuditArchive -WhatIf, and chains them with it' {
        # The original's history: gzip'd segments with its naming, and no index.
        foreach ($hour in 1..3) {
            $name = 'audit_20260301_{0:D2}0000.jsonl.gz' -f $hour
            $file = [System.IO.File]::Create((Join-Path $folder $name))
            $gzip = [System.IO.Compression.GZipStream]::new($file, [System.IO.Compression.CompressionLevel]::Optimal)
            $text = [System.Text.Encoding]::UTF8.GetBytes((New-ScoutAuditLine -Utc ([datetime]::new(2026, 3, 1, $hour, 0, 0, [System.DateTimeKind]::Utc)) -Event nav) + "`n")
            $gzip.Write($text, 0, $text.Length)
            $gzip.Dispose()
        }
        Set-ScoutAuditLogContent -Path $log -Line (New-ScoutAuditLine -Utc ([datetime]::new(2026, 3, 1, 4, 0, 0, [System.DateTimeKind]::Utc)) -Event nav)

        $before = @(Test-ScoutAuditLog -Path $log)
        $state = Get-FolderState $folder
        $null = Register-ScoutAuditArchive -Path $log -WhatIf
        $afterWhatIf = Get-FolderState $folder
        $registered = @(Register-ScoutAuditArchive -Path $log -Confirm:$false)
        $adopted = @(Test-ScoutAuditLog -Path $log)

        @($before | Where-Object Kind -eq 'ArchiveUnchained').Count | Should -Be 3
        $before[-1].Status | Should -Be 'Unchained'
        $afterWhatIf | Should -BeExactly $state
        $registered.Lines | Should -Be @(1, 1, 1)
        $adopted.Count | Should -Be 1
        $adopted[0].Status | Should -Be 'Verified'
        $adopted[0].Chained | Should -Be 3
    }

    It 'shows findings and the summary readably at 80 columns' {
        $archive = (New-History $log 2)[0]
        Remove-Item -LiteralPath $archive
        $script = Join-Path $folder 'show.ps1'
        Set-Content -LiteralPath $script -Value "Import-Module '$(Get-ScoutAuditModulePath)'; Test-ScoutAuditLog -Path '$log'"

        $run = Invoke-ChildPwsh -ArgumentList '-NoProfile', '-File', $script -Environment @{ HOME = $folder; SCOUT_AUDIT_PATH = $log; COLUMNS = '80' }

        $run.ExitCode | Should -Be 0
        $lines = $run.StdOut -split "`r?`n" | Where-Object { $_ }
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $lines[0] | Should -Match "^Error\s+ArchiveMissing $([regex]::Escape((Split-Path $archive -Leaf))), entry 1$" -Because "entry 0 is the seal of its segment"
        $run.StdOut | Should -Match '(?m)^Failed\s+/'
        $run.StdOut | Should -Match '(?m)^ {9}archives: 1 on disk, 2 chained, 0 unchained, 0 removed$'
        $run.StdOut | Should -Match '(?m)^ {9}signatures: 0, checked: 0; errors: 1, warnings: 0$'
    }

    Context 'Retention' {
        It 'changes no file under -WhatIf' {
            $null = New-History $log 5
            $before = Get-FolderState $folder

            Remove-ScoutAuditArchive -Path $log -Keep 1 -WhatIf

            Get-FolderState $folder | Should -BeExactly $before
        }

        It 'removes exactly the archives beyond -Keep and before -Before, records each, and the log still verifies' {
            $archives = New-History $log 5

            $removed = Remove-ScoutAuditArchive -Path $log -Keep 2 -Before ([datetime]::Now.AddMinutes(1)) -Reason 'policy RP-7' -Confirm:$false -PassThru
            $verification = Test-ScoutAuditLog -Path $log

            $removed.Path | Should -Be $archives[0..2]
            $archives[0..2] | ForEach-Object { $_ | Should -Not -Exist }
            $archives[3..4] | ForEach-Object { $_ | Should -Exist }
            $verification.Status | Should -Be 'Verified'
            $verification.Removed | Should -Be 3
            (Get-Content -LiteralPath (Join-Path $folder 'audit.index.jsonl') | Where-Object { $_ -match '"removed"' -and $_ -match 'policy RP-7' }).Count | Should -Be 3
            @(Get-ScoutAuditEvent -Path $log -Event nav).InputTokens | Should -Be 4, 5
        }

        It 'fails verification after an archive is deleted without a record' {
            $archives = New-History $log 3
            Remove-Item -LiteralPath $archives[1]

            $findings = @(Test-ScoutAuditLog -Path $log | Where-Object Severity -eq Error)

            $findings.Kind | Should -Be 'ArchiveMissing'
            $findings.Path | Should -Be $archives[1]
        }

        It 'applies Set-ScoutAuditLog -KeepArchives after each rotation' {
            Set-ScoutAuditLog -Path $log -KeepArchives 2
            $archives = New-History $log 4

            (Get-ScoutAuditLog -Path $log).KeepArchives | Should -Be 2
            Get-ChildItem -LiteralPath $folder -Filter '*.jsonl.gz' | ForEach-Object FullName | Sort-Object | Should -Be ($archives[2..3] | Sort-Object)
            (Test-ScoutAuditLog -Path $log).Removed | Should -Be 2
            (Set-ScoutAuditLog -Path $log -KeepArchives $null -RotationSize $null -PassThru).KeepArchives | Should -BeNullOrEmpty -Because '$null is "no limit", as documented'
            (Get-ScoutAuditLog -Path $log).RotationSize | Should -BeNullOrEmpty
        }
    }

    Context 'Sealing by time' {
        It 'seals, at the first write of a new UTC hour, an active file whose oldest event is from an earlier hour' {
            $earlier = [datetime]::UtcNow.AddHours(-2)
            Set-ScoutAuditLogContent -Path $log -Line (New-ScoutAuditLine -Utc $earlier -Event nav -Field @{ reason = 'two hours ago' })

            $settings = Set-ScoutAuditLog -Path $log -RotationInterval Hour -PassThru
            Write-ScoutAuditEvent nav -Reason 'now' -Path $log
            Close-ScoutAuditLog -Path $log

            $settings.RotationInterval | Should -Be 'Hour'
            $archive = @(Get-ChildItem -LiteralPath $folder -Filter '*.jsonl.gz')
            $archive.Count | Should -Be 1
            (Get-Content -LiteralPath $log | ConvertFrom-Json).reason | Should -Be 'now'
            @(Get-ScoutAuditEvent -Path $log).Reason | Should -Be 'two hours ago', 'now'
            (Test-ScoutAuditLog -Path $log).Status | Should -Be 'Verified'
        }
    }
}
