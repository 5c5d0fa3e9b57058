#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# A tamperer with write access to the log's directory but not the signing key, and an auditor's
# runbook: what Test-ScoutAuditLog says, what -Quiet answers, and what Register-ScoutAuditArchive asks.

Describe 'Test-ScoutAuditLog against a tamperer' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module (Get-ScoutAuditModulePath) -Force

        function New-History([string] $Path, [int] $Count) {
            foreach ($n in 1..$Count) {
                Write-ScoutAuditEvent nav -Cost 1 -Model gpt-4o-mini -InputTokens $n -Path $Path
                (Invoke-ScoutAuditRotation -Path $Path -Confirm:$false).Path
            }
            Write-ScoutAuditEvent deep -Path $Path
            Close-ScoutAuditLog -Path $Path
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

    It 'fails a backdated archive put beside a chained log: an error, -Quiet is $false, and the auditor''s filter shows it' {
        $null = New-History $log 2
        $backdated = Join-Path $folder 'audit_20200101_000000.jsonl.gz'
        New-GzipFile $backdated (New-ScoutAuditLine -Utc ([datetime]::new(2020, 1, 1, 0, 0, 0, [DateTimeKind]::Utc)) -Event nav -Field @{ cost = 1000 })

        $errors = @(Test-ScoutAuditLog -Path $log | Where-Object Severity -eq Error)

        $errors.Kind | Should -Be 'ArchiveNotInChain'
        $errors.Path | Should -Be $backdated
        Test-ScoutAuditLog -Path $log -Quiet | Should -BeFalse
    }

    It 'asks before Register-ScoutAuditArchive vouches for an archive, naming its lines and time range (ConfirmImpact High)' {
        $null = New-History $log 1
        $backdated = Join-Path $folder 'audit_20200101_000000.jsonl.gz'
        New-GzipFile $backdated (New-ScoutAuditLine -Utc ([datetime]::new(2020, 1, 1, 0, 0, 0, [DateTimeKind]::Utc)) -Event nav -Field @{ cost = 1000 })
        $script = Join-Path $folder 'adopt.ps1'
        Set-Content -LiteralPath $script -Value "Import-Module '$(Get-ScoutAuditModulePath)'; Register-ScoutAuditArchive -Path '$log' -WhatIf | Out-Null; Register-ScoutAuditArchive -Path '$log' | Out-Null"

        $run = Invoke-ChildPwsh -ArgumentList '-NoProfile', '-NonInteractive', '-File', $script -Environment @{ HOME = $folder; SCOUT_AUDIT_PATH = $log }

        $run.StdOut | Should -Match ([regex]::Escape("$backdated (1 lines, 2020-01-01T00:00:00.000Z to 2020-01-01T00:00:00.000Z"))
        $run.StdErr | Should -Match 'prompt|NonInteractive|confirm' -Because 'without -Confirm:$false it asks, which a non-interactive session cannot'
        Get-Content -LiteralPath (Join-Path $folder 'audit.index.jsonl') -Raw | Should -Not -Match 'audit_20200101_000000'
    }

    It 'says Unchained for the original''s archives, -Quiet $false unless -AllowUnchained' {
        foreach ($hour in 1..2) {
            New-GzipFile (Join-Path $folder ('audit_20260301_{0:D2}0000.jsonl.gz' -f $hour)) (New-ScoutAuditLine -Utc ([datetime]::new(2026, 3, 1, $hour, 0, 0, [DateTimeKind]::Utc)) -Event nav)
        }
        Set-ScoutAuditLogContent -Path $log -Line (New-ScoutAuditLine -Utc ([datetime]::new(2026, 3, 1, 4, 0, 0, [DateTimeKind]::Utc)) -Event nav)

        (Test-ScoutAuditLog -Path $log)[-1].Status | Should -Be 'Unchained'
        Test-ScoutAuditLog -Path $log -Quiet | Should -BeFalse
        Test-ScoutAuditLog -Path $log -Quiet -AllowUnchained | Should -BeTrue
    }

    It 'warns that a signed chain checked without -PublicKey was not checked, -Quiet $false unless -SkipSignature' {
        $key = New-SigningKey $folder
        Set-ScoutAuditLog -Path $log -SigningKey $key.Private
        $null = New-History $log 2

        $output = @(Test-ScoutAuditLog -Path $log)

        $output[0].Kind | Should -Be 'SignaturesNotChecked'
        $output[0].Severity | Should -Be 'Warning'
        $output[-1].Status | Should -Be 'SignaturesNotChecked'
        Test-ScoutAuditLog -Path $log -Quiet | Should -BeFalse
        Test-ScoutAuditLog -Path $log -Quiet -SkipSignature | Should -BeTrue
        Test-ScoutAuditLog -Path $log -Quiet -PublicKey $key.Public | Should -BeTrue
    }

    It 'does not rotate a signed log in a session without the key, and says why' {
        $key = New-SigningKey $folder
        Set-ScoutAuditLog -Path $log -SigningKey $key.Private
        $null = New-History $log 1
        Set-ScoutAuditLog -Path $log -SigningKey ''
        $index = Get-Content -LiteralPath (Join-Path $folder 'audit.index.jsonl') -Raw

        Write-ScoutAuditEvent nav -Path $log
        { Invoke-ScoutAuditRotation -Path $log -Confirm:$false -ErrorAction Stop } | Should -Throw -ExpectedMessage '*signed*signing key*'

        Get-Content -LiteralPath (Join-Path $folder 'audit.index.jsonl') -Raw | Should -BeExactly $index
        Test-ScoutAuditLog -Path $log -PublicKey $key.Public -Quiet | Should -BeTrue
    }

    It 'finds the active file rewritten without its first line, with the state kept in the auditor''s own folder' {
        $null = New-History $log 1
        Write-ScoutAuditEvent nav -Path $log
        Close-ScoutAuditLog -Path $log
        $auditor = Join-Path $folder 'auditor'
        $null = New-Item -ItemType Directory -Path $auditor
        $state = Join-Path $auditor 'audit.state.json'
        Test-ScoutAuditLog -Path $log -StatePath $state -Quiet | Should -BeTrue
        # sed -i 1d: a new file without the first line, and the state beside the log deleted too.
        Set-ScoutAuditLogContent -Path "$log.new" -Line @(Get-Content -LiteralPath $log | Select-Object -Skip 1)
        Move-Item -LiteralPath "$log.new" -Destination $log -Force
        Remove-Item -LiteralPath "$log.verified" -ErrorAction SilentlyContinue

        $errors = @(Test-ScoutAuditLog -Path $log -StatePath $state | Where-Object Severity -eq Error)

        $errors.Kind | Should -Be 'ActiveFileReplaced'
    }

    It 'refuses one -StatePath for two logs' {
        $other = Join-Path $folder 'other.jsonl'
        Write-ScoutAuditEvent nav -Path $log
        Write-ScoutAuditEvent nav -Path $other
        Close-ScoutAuditLog -Path $other

        $output = @(Test-ScoutAuditLog -Path $log, $other -StatePath (Join-Path $folder 'state.json') -ErrorVariable problems -ErrorAction SilentlyContinue)

        @($output | Where-Object { $_ -is [ScoutAudit.LogVerification] }).Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'InvalidStatePath,*'
    }

    It 'verifies a log whose archives were all removed by recorded retention' {
        $null = New-History $log 2
        $null = Invoke-ScoutAuditRotation -Path $log -Confirm:$false
        Remove-ScoutAuditArchive -Path $log -Keep 0 -Confirm:$false
        Close-ScoutAuditLog -Path $log

        $summary = Test-ScoutAuditLog -Path $log

        $summary.Status | Should -Be 'Verified'
        $summary.Removed | Should -Be 3
    }

    It 'fails a line whose closing brace was cut in the middle of the active file' {
        Write-ScoutAuditEvent nav -Path $log
        Write-ScoutAuditEvent deep -Path $log
        Close-ScoutAuditLog -Path $log
        $lines = @(Get-Content -LiteralPath $log)
        $lines[0] = $lines[0].Substring(0, $lines[0].Length - 1)
        Set-ScoutAuditLogContent -Path $log -Line $lines

        $finding = Test-ScoutAuditLog -Path $log | Where-Object { $_ -is [ScoutAudit.IntegrityFinding] }

        $finding.Kind | Should -Be 'LineDamaged'
        $finding.Severity | Should -Be 'Error'
        Test-ScoutAuditLog -Path $log -Quiet | Should -BeFalse
    }

    It 'fails an archive replaced and its entry extended after the signature, with and without the public key' {
        $key = New-SigningKey $folder
        Set-ScoutAuditLog -Path $log -SigningKey $key.Private
        $archives = @(New-History $log 2)
        New-GzipFile $archives[0] (New-ScoutAuditLine -Utc ([datetime]::UtcNow) -Event nav -Field @{ cost = 1000 })
        $index = Join-Path $folder 'audit.index.jsonl'
        $lines = [System.IO.File]::ReadAllLines($index)
        # Entry 1 is the first archive's (entry 0 is the seal of its segment).
        $forgedSha = (Get-FileHash -LiteralPath $archives[0] -Algorithm SHA256).Hash.ToLowerInvariant()
        $lines[1] = $lines[1].Substring(0, $lines[1].Length - 1) + (',"sha256":"{0}","gz_bytes":{1}}}' -f $forgedSha, (Get-Item -LiteralPath $archives[0]).Length)
        [System.IO.File]::WriteAllText($index, ($lines -join "`n") + "`n")

        $withKey = @(Test-ScoutAuditLog -Path $log -PublicKey $key.Public)
        $withoutKey = @(Test-ScoutAuditLog -Path $log)

        $withKey[-1].Status | Should -Be 'Failed'
        $withoutKey[-1].Status | Should -Be 'Failed'
        $withKey.Kind | Should -Contain 'IndexLineDamaged'
        @($withKey | Where-Object Kind -eq 'ArchiveNotInChain').Path | Should -Be $archives[0]
        Test-ScoutAuditLog -Path $log -PublicKey $key.Public -Quiet | Should -BeFalse
    }

    It 'fails a planted sealed segment, and the key holder''s next writes and rotation neither archive nor sign it' {
        $key = New-SigningKey $folder
        Set-ScoutAuditLog -Path $log -SigningKey $key.Private
        $null = New-History $log 1
        $planted = Join-Path $folder 'audit_20260101_000000.jsonl'
        Set-ScoutAuditLogContent -Path $planted -Line (New-ScoutAuditLine -Utc ([datetime]::new(2026, 1, 1, 0, 0, 0, [DateTimeKind]::Utc)) -Event nav -Field @{ cost = 1000 })

        $before = @(Test-ScoutAuditLog -Path $log -PublicKey $key.Public | Where-Object Severity -eq Error)
        $read = @(Get-ScoutAuditEvent -Path $log -WarningVariable queryWarnings -WarningAction SilentlyContinue)
        Write-ScoutAuditEvent nav -Path $log -WarningVariable warnings -WarningAction SilentlyContinue
        $null = Invoke-ScoutAuditRotation -Path $log -Confirm:$false -WarningVariable +warnings -WarningAction SilentlyContinue
        Close-ScoutAuditLog -Path $log
        $after = @(Test-ScoutAuditLog -Path $log -PublicKey $key.Public | Where-Object Severity -eq Error)

        $before.Kind | Should -Be 'UnknownSegment'
        $read.Cost | Should -Contain 1000 -Because 'queries read it'
        ($queryWarnings -join "`n") | Should -Match 'holds no seal record' -Because 'and say that they did'
        $before.Path | Should -Be $planted
        $after.Kind | Should -Be 'UnknownSegment' -Because 'it is still there, never archived'
        Test-Path -LiteralPath "$planted.gz" | Should -BeFalse
        Get-Content -LiteralPath (Join-Path $folder 'audit.index.jsonl') -Raw | Should -Not -Match 'audit_20260101_000000'
        ($warnings -join "`n") | Should -Match 'audit_20260101_000000\.jsonl.*not archived'
    }

    It 'finds signatures stripped and the chain re-linked: with the public key, and without it by the state of the last check' {
        $key = New-SigningKey $folder
        Set-ScoutAuditLog -Path $log -SigningKey $key.Private
        $null = New-History $log 2
        Test-ScoutAuditLog -Path $log -Quiet -SkipSignature | Should -BeTrue
        $index = Join-Path $folder 'audit.index.jsonl'
        $rewritten = [System.Collections.Generic.List[string]]::new()
        foreach ($line in [System.IO.File]::ReadAllLines($index)) {
            $entry = [System.Text.Json.Nodes.JsonNode]::Parse($line).AsObject()
            $null = $entry.Remove('sig'); $null = $entry.Remove('key')
            $entry['prev'] = if ($rewritten.Count) {
                [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($rewritten[-1]))).ToLowerInvariant()
            } else { $null }
            $rewritten.Add($entry.ToJsonString())
        }
        [System.IO.File]::WriteAllText($index, ($rewritten -join "`n") + "`n")

        $withKey = @(Test-ScoutAuditLog -Path $log -PublicKey $key.Public | Where-Object Severity -eq Error)
        $withoutKey = @(Test-ScoutAuditLog -Path $log | Where-Object Severity -eq Error)

        @($withKey | Where-Object Kind -eq 'SignatureMissing').Count | Should -BeGreaterOrEqual 4
        $withoutKey.Kind | Should -Contain 'SignatureMissing'
        Test-ScoutAuditLog -Path $log -Quiet | Should -BeFalse
    }

    It 'takes the original rotating a shared log after a verification for what it is: a warning, no error, and Register-ScoutAuditArchive chains it' {
        $null = New-History $log 2
        Test-ScoutAuditLog -Path $log -Quiet | Should -BeTrue
        # As the original rotates: the whole active file (and a line of its own) gzipped under its naming, the file deleted, a new one begun.
        $content = [System.IO.File]::ReadAllText($log) + (New-ScoutAuditLine -Utc ([datetime]::UtcNow) -Event nav -SessionId 'original') + "`n"
        New-GzipFile (Join-Path $folder ('audit_{0:yyyyMMdd_HHmmss}.jsonl.gz' -f [datetime]::UtcNow.AddDays(1))) $content.TrimEnd("`n").Split("`n")
        Remove-Item -LiteralPath $log
        Set-ScoutAuditLogContent -Path $log -Line (New-ScoutAuditLine -Utc ([datetime]::UtcNow) -Event nav -SessionId 'original')

        $output = @(Test-ScoutAuditLog -Path $log)
        $again = @(Test-ScoutAuditLog -Path $log)
        $null = Register-ScoutAuditArchive -Path $log -Confirm:$false
        $adopted = @(Test-ScoutAuditLog -Path $log)

        @($output | Where-Object Severity -eq Error) | Should -BeNullOrEmpty
        $output[0].Kind | Should -Be 'ArchiveUnchained'
        $output[-1].Status | Should -Be 'Unchained'
        $again[-1].Status | Should -Be 'Unchained' -Because 'the state remembers the archive it recognised'
        $adopted[-1].Status | Should -Be 'Verified'
    }
}
