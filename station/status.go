package station

// NextStatus decides the bench status of an order after Amazon reports a new
// fulfillment status. Local facts win where Amazon cannot know them: a label
// bought here stays "label bought" until Amazon says the order shipped (a
// cancellation shows as needing a void, see NeedsVoid), Amazon never
// un-ships an order we shipped, and only the carrier says delivered.
func NextStatus(current OrderStatus, known bool, amazon AmazonStatus) OrderStatus {
	if !known {
		switch amazon {
		case AmazonCancelled:
			return StatusCancelled
		case AmazonShipped:
			return StatusShipped
		default:
			return StatusReady
		}
	}
	switch current {
	case StatusLabelBought:
		// Amazon marks an order shipped once its Buy Shipping label is
		// bought; a cancellation then needs the label voided (NeedsVoid).
		if amazon == AmazonShipped {
			return StatusShipped
		}
		return current
	case StatusShipped, StatusDelivered:
		return current
	case StatusCancelled:
		if amazon == AmazonUnshipped || amazon == AmazonPartiallyShipped {
			return StatusReady
		}
		return current
	default: // ready
		switch amazon {
		case AmazonCancelled:
			return StatusCancelled
		case AmazonShipped:
			return StatusShipped
		}
		return StatusReady
	}
}

// NeedsVoid reports an order whose buyer cancelled after its label was bought:
// the packer must void the label so the seller is refunded.
func NeedsVoid(status OrderStatus, amazon AmazonStatus) bool {
	return status == StatusLabelBought && amazon == AmazonCancelled
}
