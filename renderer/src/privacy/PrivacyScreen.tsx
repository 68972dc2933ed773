// The team lead's Privacy screen: a container of sections, each its own component in this
// folder: people held without a lawful ground, the retention review, the subject access log, the erasure log.
import { PageHeader } from '../components/PageHeader';
import { ErasureLog } from './ErasureLog';
import { PeopleWithoutGround } from './PeopleWithoutGround';
import { RetentionReviewSection } from './RetentionReview';
import { SubjectAccessLog } from './SubjectAccessLog';
import './privacy.css';

export function PrivacyScreen(_props: { param: string | null }) {
  return (
    <div className="screen privacy">
      <PageHeader title="Privacy" summary="The people this workspace holds, and the grounds it holds them on." />
      <PeopleWithoutGround />
      <RetentionReviewSection />
      <SubjectAccessLog />
      <ErasureLog />
    </div>
  );
}
