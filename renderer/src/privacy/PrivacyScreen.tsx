// The team lead's Privacy screen: a container of sections, each its own component in this
// folder (people held without a lawful ground, the retention review, and those of the rest
// of issue 12's privacy work).
import { PageHeader } from '../components/PageHeader';
import { PeopleWithoutGround } from './PeopleWithoutGround';
import { RetentionReviewSection } from './RetentionReview';
import './privacy.css';

export function PrivacyScreen(_props: { param: string | null }) {
  return (
    <div className="screen privacy">
      <PageHeader title="Privacy" summary="The people this workspace holds, and the grounds it holds them on." />
      <PeopleWithoutGround />
      <RetentionReviewSection />
    </div>
  );
}
